import { customVjp } from "@heed/autograd";
import { KEEPS_NOTHING } from "../keeps-nothing.js";
import { add, cast, formatShape, fusedKernelFor, matmul, reshape, Tensor, type FloatArray } from "@heed/tensor-core";
import { tensorArg } from "../tensor-arg.js";

/**
 * dx = G·W, dW = Gᵀ·x, db = Σ_rows G for x [n, in], W [out, in] and G = dL/dy [n, out] (null
 * where `needsGrad` says no): the backend's fused `linearBackward`, which copies G into its
 * memory once for all three (same bits as the two matmuls and the sum).
 */
export function linearGrads(g: Tensor, x: Tensor, w: Tensor, needsGrad: readonly boolean[]): (Tensor | null)[] {
  const [rows, inFeatures] = x.shape as [number, number];
  const outFeatures = w.shape[0]!;
  const gx = g.dtype === x.dtype ? g : cast(g, x.dtype);
  const r = fusedKernelFor("linearBackward")({
    gradOut: gx.data as FloatArray, x: x.data as FloatArray, weight: w.data as FloatArray, rows, inFeatures, outFeatures,
    wantDx: needsGrad[0] ?? false, wantDw: needsGrad[1] ?? false, wantDb: needsGrad[2] ?? false,
  });
  const t = (d: FloatArray | null, shape: readonly number[]): Tensor | null => (d === null ? null : new Tensor(d, shape, x.dtype));
  return [t(r.dx, x.shape), t(r.dw, w.shape), t(r.db, [outFeatures])];
}

/**
 * x [n, in]·Wᵀ + b as one recorded node: the backend's fused `linearForward` (on wasm the
 * bias is added in wasm memory, no second [n, out] array); backward the fused `linearBackward`
 * (`linearGrads`): dx = G·W, dW = Gᵀ·x, db = Σ_rows G, i.e. the matmul rule plus the engine's
 * unbroadcast of the composition `add(matmul(x, W, transB), b)`, which stays the oracle
 * (linear.test.ts).
 */
const affine = customVjp<null>(
  (x: Tensor, w: Tensor, b: Tensor) => {
    const [rows, inFeatures] = x.shape as [number, number];
    const outFeatures = w.shape[0]!;
    const y = fusedKernelFor("linearForward")({ x: x.data as FloatArray, weight: w.data as FloatArray, bias: b.data as FloatArray, rows, inFeatures, outFeatures });
    return { output: new Tensor(y, [rows, outFeatures], x.dtype), saved: null };
  },
  (_, g, [x, w], n) => linearGrads(g, x!, w!, n),
  "linear",
  KEEPS_NOTHING,
);

/**
 * y = x·Wᵀ + b (torch.nn.functional.linear). x: [..., in], weight: [out, in], bias: [out];
 * y: [..., out]. The leading dims are flattened so the whole batch is one matmul with transB.
 *
 * @example
 * linear(randn([B, L, E], rng), randn([4 * E, E], rng)).shape;   // [B, L, 4E]
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  tensorArg("linear", "x", x);
  tensorArg("linear", "weight", weight);
  if (bias != null) tensorArg("linear", "bias", bias);
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
  // the fused path needs one float dtype (no promotion between x, weight and bias)
  const fused = bias != null && x.dtype === weight.dtype && bias.dtype === weight.dtype && (x.dtype === "float32" || x.dtype === "float64") && n > 0;
  let y: Tensor;
  if (fused) y = affine(x2, weight, bias);
  else {
    y = matmul(x2, weight, { transB: true });
    if (bias != null) y = add(y, bias);
  }
  return x.rank === 2 ? y : reshape(y, [...lead, outF]);
}
