import { customVjp } from "@heed/autograd";
import { KEEPS_NOTHING } from "../keeps-nothing.js";
import { formatShape, fusedKernelFor, relu, reshape, Tensor, type FloatArray, type Generator } from "@heed/tensor-core";
import { dropout } from "./dropout.js";
import { linear, linearGrads } from "./linear.js";
import { resolveGenerator } from "../random.js";

/**
 * One recorded node for dropout(relu(x·Wᵀ + b)): the backend's fused `linearReluDropout`
 * (one [n, out] array instead of three; on wasm relu and the dropout mask are applied in wasm
 * memory). Backward from the saved output y: dh = [y > 0]·G/(1 − p) (fused `reluDropoutBackward`),
 * then dx = dh·W, dW = dhᵀ·x, db = Σ_rows dh by `linear`'s fused backward (`linearGrads`).
 */
function fusedNode(p: number, seed: number): (...inputs: Tensor[]) => Tensor {
  return customVjp<Tensor>(
    (x: Tensor, w: Tensor, b: Tensor) => {
      const [rows, inFeatures] = x.shape as [number, number];
      const outFeatures = w.shape[0]!;
      const y = fusedKernelFor("linearReluDropout")({ x: x.data as FloatArray, weight: w.data as FloatArray, bias: b.data as FloatArray, rows, inFeatures, outFeatures, p, seed });
      const output = new Tensor(y, [rows, outFeatures], x.dtype);
      return { output, saved: output };
    },
    (y, g, [x, w], n) => {
      const dh = new Tensor(fusedKernelFor("reluDropoutBackward")({ y: y.data as FloatArray, gradOut: g.data as FloatArray, p }), g.shape, g.dtype);
      return linearGrads(dh, x!, w!, n);
    },
    "linearReluDropout",
    KEEPS_NOTHING,
  );
}

/**
 * dropout(relu(linear(x, weight, bias)), p, training, rng) — the first half of a ReLU
 * feed-forward block — as one fused op with the same values, bits and dropout mask (one seed
 * drawn from `rng` when training with p > 0, as `dropout` draws it). x: [..., in], weight:
 * [out, in], bias: [out]; y: [..., out]. Without a bias, or with mixed dtypes, it is the
 * composition itself.
 *
 * @example
 * linearReluDropout(x, ff.weight, ff.bias, 0.1, model.training, new Generator(0));
 */
export function linearReluDropout(x: Tensor, weight: Tensor, bias: Tensor | null, p = 0.5, training = true, rng?: Generator): Tensor {
  if (!(p >= 0 && p <= 1)) throw new Error(`linearReluDropout: probability p must be in [0, 1], got ${p} (x: ${formatShape(x.shape)})`);
  if (weight.rank !== 2 || x.rank === 0 || x.shape[x.rank - 1] !== weight.shape[1] || (bias !== null && (bias.rank !== 1 || bias.shape[0] !== weight.shape[0]))) {
    const b = bias === null ? "null" : formatShape(bias.shape);
    throw new Error(`linearReluDropout: expected x [..., in], weight [out, in] and bias [out] or null, got x ${formatShape(x.shape)}, weight ${formatShape(weight.shape)}, bias ${b}`);
  }
  const [outF, inF] = weight.shape as [number, number];
  const lead = x.shape.slice(0, -1);
  const rows = lead.reduce((a, b) => a * b, 1);
  const fused = bias !== null && x.dtype === weight.dtype && bias.dtype === weight.dtype && (x.dtype === "float32" || x.dtype === "float64") && p < 1 && rows * outF * inF > 0;
  if (!fused) return dropout(relu(linear(x, weight, bias)), p, training, rng);
  const drop = training && p > 0 ? p : 0;
  const seed = drop > 0 ? resolveGenerator(rng).nextUint32() : 0;
  const out = fusedNode(drop, seed)(x.rank === 2 ? x : reshape(x, [rows, inF]), weight, bias);
  return x.rank === 2 ? out : reshape(out, [...lead, outF]);
}
