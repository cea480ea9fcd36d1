import { customVjp } from "@heed/autograd";
import { KEEPS_NOTHING } from "../keeps-nothing.js";
import { formatShape, mul, neg, sigmoid, Tensor } from "@heed/tensor-core";

const logSigmoidVjp = customVjp(
  (x: Tensor) => {
    const out = x.dtype === "float64" ? new Float64Array(x.size) : new Float32Array(x.size);
    const d = x.data;
    for (let i = 0; i < d.length; i++) {
      const v = d[i]!;
      // log σ(v) = −log(1 + e^−v) = v − log(1 + e^v), each form used where its exponent is ≤ 0
      out[i] = v >= 0 ? -Math.log1p(Math.exp(-v)) : v - Math.log1p(Math.exp(v));
    }
    return { output: new Tensor(out, x.shape, x.dtype), saved: x };
  },
  // d log σ(x) = σ(−x)·dx
  (x, g) => [mul(g, sigmoid(neg(x)))],
  "logSigmoid",
  KEEPS_NOTHING,
);

/**
 * log σ(x), computed stably for any x (torch.nn.functional.logsigmoid): ≈ x for x ≪ 0 and
 * ≈ −e^−x for x ≫ 0, never log(0).
 *
 * @example
 * logSigmoid(tensor([-300, 0, 300]));   // [-300, -0.6931, 0]
 */
export function logSigmoid(x: Tensor): Tensor {
  if (x.dtype !== "float32" && x.dtype !== "float64") throw new Error(`logSigmoid: x must be a float tensor, got '${x.dtype}' (shape ${formatShape(x.shape)})`);
  return logSigmoidVjp(x);
}
