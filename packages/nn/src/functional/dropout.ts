import { formatShape, mul, Tensor, type Generator } from "@heed/tensor-core";
import { resolveGenerator } from "../random.js";

/**
 * Inverted dropout (Srivastava et al. 2014; torch.nn.functional.dropout): in training each
 * element is zeroed with probability p and the survivors are scaled by 1/(1 − p); outside
 * training (or with p = 0) x is returned unchanged. p = 1 gives zeros.
 *
 * @example
 * dropout(x, 0.1, model.training, new Generator(0));
 */
export function dropout(x: Tensor, p = 0.5, training = true, rng?: Generator): Tensor {
  if (!(p >= 0 && p <= 1)) throw new Error(`dropout: probability p must be in [0, 1], got ${p} (x: ${formatShape(x.shape)})`);
  if (!training || p === 0) return x;
  if (x.dtype !== "float32" && x.dtype !== "float64") throw new Error(`dropout: x must be a float tensor, got dtype '${x.dtype}' (shape ${formatShape(x.shape)})`);
  const g = resolveGenerator(rng);
  const mask = x.dtype === "float64" ? new Float64Array(x.size) : new Float32Array(x.size);
  if (p < 1) {
    const keep = 1 - p;
    const scale = 1 / keep;
    for (let i = 0; i < mask.length; i++) mask[i] = g.nextFloat() < keep ? scale : 0;
  }
  return mul(x, new Tensor(mask, x.shape, x.dtype));
}
