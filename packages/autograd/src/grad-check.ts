import { cast, checkOptions, describeValue, formatShape, Generator, isFloat, randn, Tensor } from "@heed/tensor-core";
import { vjp } from "./functional.js";
import { noGrad } from "./mode.js";

export interface GradCheckOptions {
  /** Finite-difference step (default 1e-6). */
  eps?: number;
  /** Relative tolerance (default 1e-4). */
  rtol?: number;
  /** Absolute tolerance (default 1e-6). */
  atol?: number;
  /** Seed of the random cotangent r (default 0). */
  seed?: number;
}

export interface GradCheckResult {
  /** True when every element satisfies |analytic − numeric| ≤ atol + rtol·|numeric|. */
  ok: boolean;
  maxAbsError: number;
  /** Largest |analytic − numeric| / max(|analytic|, |numeric|) (0 where both are 0). */
  maxRelError: number;
  /** The element that fails worst (largest error relative to its tolerance); null if no float input has elements. */
  worst: { input: number; index: number; analytic: number; numeric: number } | null;
}

/**
 * Compare the analytic gradient of `sum(f(...inputs) · r)` (r: a fixed random tensor,
 * seeded) with central finite differences, in float64: float inputs are converted to
 * float64 first, other inputs (e.g. int32 indices) are passed through unchanged.
 * `worst.index` is the flat (row-major) index into `inputs[worst.input]`.
 *
 * @example
 * const { ok } = gradCheck((x) => tanh(x), [randn([3, 4], new Generator(0))]); // true
 */
export function gradCheck(f: (...inputs: Tensor[]) => Tensor, inputs: readonly Tensor[], options?: GradCheckOptions): GradCheckResult {
  const { eps = 1e-6, rtol = 1e-4, atol = 1e-6, seed = 0 } = checkOptions("gradCheck", options, { eps: true, rtol: true, atol: true, seed: true });
  if (typeof f !== "function") throw new Error(`gradCheck: expected 'f' to be a function, got ${describeValue(f)}`);
  const list: unknown = inputs;
  if (!Array.isArray(list) || list.some((x) => !(x instanceof Tensor))) throw new Error(`gradCheck: expected 'inputs' as an array of tensors, got ${describeValue(inputs)}`);
  if (typeof eps !== "number" || !Number.isFinite(eps) || eps <= 0) throw new Error(`gradCheck: expected 'eps' to be a finite number > 0 (the finite-difference step), got ${describeValue(eps)}`);
  for (const [k, v] of [["rtol", rtol], ["atol", atol]] as const) {
    if (typeof v !== "number" || !(v >= 0)) throw new Error(`gradCheck: expected '${k}' to be a number >= 0, got ${describeValue(v)}`);
  }
  const xs = noGrad(() => inputs.map((x) => (isFloat(x.dtype) ? cast(x, "float64").clone() : x)));
  const floats = xs.flatMap((x, i) => (isFloat(x.dtype) ? [i] : []));
  const withFloats = (vals: readonly Tensor[]): Tensor[] => xs.map((x, i) => { const k = floats.indexOf(i); return k < 0 ? x : vals[k]!; });
  const out = noGrad(() => f(...xs));
  if (!(out instanceof Tensor) || !isFloat(out.dtype)) throw new Error(`gradCheck: f must return a float tensor, got ${out instanceof Tensor ? `dtype '${out.dtype}'` : typeof out}`);
  const r = randn(out.shape, new Generator(seed), "float64");
  const { grads } = vjp((...vals) => f(...withFloats(vals)), floats.map((i) => xs[i]!), r);
  const objective = (): number => {
    const y = noGrad(() => f(...xs)).data;
    let s = 0;
    for (let j = 0; j < y.length; j++) s += y[j]! * r.data[j]!;
    return s;
  };
  const result: GradCheckResult = { ok: true, maxAbsError: 0, maxRelError: 0, worst: null };
  let worstRatio = -1;
  floats.forEach((inputIndex, k) => {
    const data = xs[inputIndex]!.data;
    const analytic = grads[k]!.data;
    if (grads[k]!.size !== data.length) throw new Error(`gradCheck: gradient of input ${inputIndex} has shape ${formatShape(grads[k]!.shape)}, input has ${formatShape(xs[inputIndex]!.shape)}`);
    for (let j = 0; j < data.length; j++) {
      const x0 = data[j]!;
      data[j] = x0 + eps;
      const plus = objective();
      data[j] = x0 - eps;
      const minus = objective();
      data[j] = x0;
      const numeric = (plus - minus) / (2 * eps);
      const a = analytic[j]!;
      const err = Math.abs(a - numeric);
      const scale = Math.max(Math.abs(a), Math.abs(numeric));
      const ratio = Number.isNaN(err) ? Infinity : err / (atol + rtol * Math.abs(numeric));
      result.maxAbsError = Math.max(result.maxAbsError, Number.isNaN(err) ? Infinity : err);
      result.maxRelError = Math.max(result.maxRelError, scale === 0 ? 0 : Number.isNaN(err) ? Infinity : err / scale);
      if (ratio > 1) result.ok = false;
      if (ratio > worstRatio) {
        worstRatio = ratio;
        result.worst = { input: inputIndex, index: j, analytic: a, numeric };
      }
    }
  });
  return result;
}
