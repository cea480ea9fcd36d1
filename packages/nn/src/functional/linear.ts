import { add, formatShape, matmul, reshape, type Tensor } from "@heed/tensor-core";

/**
 * y = x·Wᵀ + b (torch.nn.functional.linear). x: [..., in], weight: [out, in], bias: [out];
 * y: [..., out]. The leading dims are flattened so the whole batch is one matmul with transB.
 *
 * @example
 * linear(randn([B, L, E], rng), randn([4 * E, E], rng)).shape;   // [B, L, 4E]
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  if (weight.rank !== 2) throw new Error(`linear: weight must be [out, in], got ${formatShape(weight.shape)} (x: ${formatShape(x.shape)})`);
  const [outF, inF] = weight.shape as [number, number];
  if (x.rank === 0 || x.shape[x.rank - 1] !== inF) {
    throw new Error(`linear: the last dimension of x ${formatShape(x.shape)} must equal in_features ${inF} of weight ${formatShape(weight.shape)}`);
  }
  if (bias != null && (bias.rank !== 1 || bias.shape[0] !== outF)) {
    throw new Error(`linear: bias must be [${outF}] to match weight ${formatShape(weight.shape)}, got ${formatShape(bias.shape)}`);
  }
  const lead = x.shape.slice(0, -1);
  const n = lead.reduce((a, b) => a * b, 1);
  const x2 = x.rank === 2 ? x : reshape(x, [n, inF]);
  let y = matmul(x2, weight, { transB: true });
  if (bias != null) y = add(y, bias);
  return x.rank === 2 ? y : reshape(y, [...lead, outF]);
}
