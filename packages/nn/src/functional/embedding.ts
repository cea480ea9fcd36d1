import { customVjp } from "@heed/autograd";
import { KEEPS_NOTHING } from "../keeps-nothing.js";
import { formatShape, gather, scatterAdd, type Tensor } from "@heed/tensor-core";
import { tensorArg } from "../tensor-arg.js";

const withPadding = new Map<number, (weight: Tensor, ids: Tensor) => Tensor>();

/** gather with a gradient that skips row `paddingIdx` (torch's embedding backward). */
function paddedLookup(paddingIdx: number): (weight: Tensor, ids: Tensor) => Tensor {
  let f = withPadding.get(paddingIdx);
  if (f === undefined) {
    f = customVjp<null>(
      (weight: Tensor, ids: Tensor) => ({ output: gather(weight, ids, 0), saved: null }),
      (_saved, g, [weight, ids]) => {
        const [V, E] = weight!.shape as [number, number];
        const gw = scatterAdd(g, ids!, 0, V);
        gw.data.fill(0, paddingIdx * E, (paddingIdx + 1) * E);
        return [gw, null];
      },
      "embedding",
      KEEPS_NOTHING,
    );
    withPadding.set(paddingIdx, f);
  }
  return f;
}

/**
 * Look up rows of `weight` [V, E] by int32 ids of any shape: out = weight[ids], shape
 * [...ids.shape, E] (torch.nn.functional.embedding). With `paddingIdx`, that row receives
 * no gradient (its value is returned as stored).
 *
 * @example
 * embedding(tensor([[1, 2]], undefined, "int32"), weight).shape;   // [1, 2, E]
 */
export function embedding(ids: Tensor, weight: Tensor, paddingIdx?: number | null): Tensor {
  const V = checkEmbedding("embedding", ids, weight);
  if (paddingIdx == null) return gather(weight, ids, 0);
  const pad = normalizePaddingIdx("embedding", paddingIdx, V);
  return paddedLookup(pad)(weight, ids);
}

export function normalizePaddingIdx(op: string, paddingIdx: number, V: number): number {
  if (!Number.isInteger(paddingIdx) || paddingIdx < -V || paddingIdx >= V) {
    throw new Error(`${op}: paddingIdx ${paddingIdx} must be an integer within numEmbeddings (${V})`);
  }
  return paddingIdx < 0 ? paddingIdx + V : paddingIdx;
}

/** Check weight [V, E] and int32 ids in [0, V) (errors name `op`); returns V. */
export function checkEmbedding(op: string, ids: Tensor, weight: Tensor): number {
  tensorArg(op, "ids", ids);
  tensorArg(op, "weight", weight);
  if (weight.rank !== 2) throw new Error(`${op}: weight must be [numEmbeddings, embeddingDim], got ${formatShape(weight.shape)} (ids: ${formatShape(ids.shape)})`);
  if (ids.dtype !== "int32") throw new Error(`${op}: ids must be int32, got '${ids.dtype}' (ids: ${formatShape(ids.shape)}, weight: ${formatShape(weight.shape)})`);
  const V = weight.shape[0]!;
  const d = ids.data;
  for (let i = 0; i < d.length; i++) {
    if (d[i]! < 0 || d[i]! >= V) throw new Error(`${op}: id ${d[i]} at flat position ${i} is out of range for ${V} embeddings (ids: ${formatShape(ids.shape)}, weight: ${formatShape(weight.shape)})`);
  }
  return V;
}
