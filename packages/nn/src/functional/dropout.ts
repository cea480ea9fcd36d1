import { customVjp } from "@heed/autograd";
import { KEEPS_NOTHING } from "../keeps-nothing.js";
import { formatShape, fusedKernelFor, Tensor, type FloatArray, type Generator } from "@heed/tensor-core";
import { resolveGenerator } from "../random.js";

/**
 * Inverted dropout (Srivastava et al. 2014; torch.nn.functional.dropout): in training each
 * element is zeroed with probability p and the survivors are scaled by 1/(1 − p); outside
 * training (or with p = 0) x is returned unchanged. p = 1 gives zeros.
 * One recorded node. The mask is counter-based (the backend's fused `dropout` kernel: element
 * i is dropped iff a hash of (seed, i) falls below p): one 32-bit seed drawn from `rng` per
 * call determines it, forward and backward regenerate it, and nothing of x's size is saved.
 *
 * @example
 * dropout(x, 0.1, model.training, new Generator(0));
 */
export function dropout(x: Tensor, p = 0.5, training = true, rng?: Generator): Tensor {
  if (!(p >= 0 && p <= 1)) throw new Error(`dropout: probability p must be in [0, 1], got ${p} (x: ${formatShape(x.shape)})`);
  if (!training || p === 0) return x;
  if (x.dtype !== "float32" && x.dtype !== "float64") throw new Error(`dropout: x must be a float tensor, got dtype '${x.dtype}' (shape ${formatShape(x.shape)})`);
  const seed = resolveGenerator(rng).nextUint32();
  const apply = (t: Tensor): Tensor => new Tensor(fusedKernelFor("dropout")({ x: t.data as FloatArray, p, seed }), t.shape, t.dtype);
  const f = customVjp<null>(
    (t: Tensor) => ({ output: apply(t), saved: null }),
    (_, gOut) => [apply(gOut)], // d dropout = mask/(1 − p)·dx: the same mask applied to the gradient
    "dropout",
    KEEPS_NOTHING,
  );
  return f(x);
}
