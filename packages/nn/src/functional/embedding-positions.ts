import { customVjp } from "@heed/autograd";
import { KEEPS_NOTHING } from "../keeps-nothing.js";
import { add, checkOptions, formatShape, fusedKernelFor, mul, slice, Tensor, type FloatArray, type Generator } from "@heed/tensor-core";
import { dropout } from "./dropout.js";
import { checkEmbedding, embedding, normalizePaddingIdx } from "./embedding.js";
import { resolveGenerator } from "../random.js";

export interface EmbeddingPositionsOptions {
  /** Row of `weight` that receives no gradient (torch's padding_idx). */
  paddingIdx?: number | null;
  /** s multiplying the looked-up rows (a Transformer's √E). Default 1. */
  scale?: number;
  /** Fixed positional table [maxLen, E] (no gradient flows into it), added at positions offset.. ; or null. */
  positions?: Tensor | null;
  offset?: number;
  /** Dropout on the sum, in training (default 0). */
  p?: number;
  training?: boolean;
  rng?: Generator;
}

/**
 * A Transformer's input embedding, dropout(embedding(ids, weight)·scale + positions[offset .. offset + L]),
 * as ONE recorded node with the same bits and dropout mask as that composition (one seed drawn
 * from `rng` when training with p > 0, as `dropout` draws it): tensor-core's fused
 * `embeddingPositions*` kernels look up, scale, add and drop out in one pass, and backward is
 * one scatter-add into dL/dweight (the padding row left at zero). ids [..., L] int32,
 * weight [V, E] → [..., L, E]. A positional table that requires a gradient (learned positions)
 * or mixed dtypes use the composition itself.
 *
 * @example
 * embeddingPositions(src, embed.weight, { scale: Math.sqrt(E), positions: pe, p: 0.1, training: true, rng });
 */
export function embeddingPositions(ids: Tensor, weight: Tensor, options?: EmbeddingPositionsOptions): Tensor {
  const o = checkOptions("embeddingPositions", options, { paddingIdx: true, scale: true, positions: true, offset: true, p: true, training: true, rng: true });
  const { paddingIdx = null, scale = 1, positions = null, offset = 0, p = 0, training = true, rng } = o;
  if (!(p >= 0 && p <= 1)) throw new Error(`embeddingPositions: probability p must be in [0, 1], got ${p} (ids: ${formatShape(ids.shape)})`);
  const V = checkEmbedding("embeddingPositions", ids, weight);
  const L = ids.shape[ids.rank - 1] ?? 1;
  const E = weight.shape[1]!;
  if (positions !== null && (positions.rank !== 2 || positions.shape[1] !== E || !Number.isInteger(offset) || offset < 0 || offset + L > positions.shape[0]!)) {
    throw new Error(`embeddingPositions: positions must be [maxLen, ${E}] covering positions ${offset}..${offset + L - 1}, got ${formatShape(positions.shape)} (ids: ${formatShape(ids.shape)}, weight: ${formatShape(weight.shape)})`);
  }
  const float = weight.dtype === "float32" || weight.dtype === "float64";
  const fused = float && ids.rank >= 1 && (positions === null || (positions.dtype === weight.dtype && !positions.requiresGrad)) && p < 1;
  if (!fused) {
    let h = mul(embedding(ids, weight, paddingIdx), scale);
    if (positions !== null) h = add(h, slice(positions, [offset], [offset + L]));
    return dropout(h, p, training, rng);
  }
  const pad = paddingIdx == null ? -1 : normalizePaddingIdx("embeddingPositions", paddingIdx, V);
  const drop = training && p > 0 ? p : 0;
  const seed = drop > 0 ? resolveGenerator(rng).nextUint32() : 0;
  const idData = ids.data as Int32Array;
  const f = customVjp<null>(
    (w: Tensor) => {
      const out = fusedKernelFor("embeddingPositionsForward")({ weight: w.data as FloatArray, ids: idData, E, L, positions: positions === null ? null : (positions.data as FloatArray), offset, scale, p: drop, seed });
      return { output: new Tensor(out, [...ids.shape, E], w.dtype), saved: null };
    },
    (_s, g, [w]) => {
      const gOut = g.dtype === w!.dtype ? g : g.cast(w!.dtype);
      return [new Tensor(fusedKernelFor("embeddingPositionsBackward")({ gradOut: gOut.data as FloatArray, ids: idData, V, E, scale, p: drop, seed, paddingIdx: pad }), w!.shape, w!.dtype)];
    },
    "embeddingPositions",
    KEEPS_NOTHING,
  );
  return f(weight);
}
