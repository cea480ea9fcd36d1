import {
  add, cast, cos, div, erf, exp, greaterEqual, lessEqual, logicalAnd, mul, neg, reluGrad, sign, sin, sub, tanh, where,
  type Tensor,
} from "@heed/tensor-core";
import { nonDifferentiable, type RulesFor } from "./types.js";

type Unary =
  | "neg" | "abs" | "sign" | "exp" | "log" | "sqrt" | "rsqrt" | "sin" | "cos" | "tanh" | "sigmoid" | "relu" | "erf"
  | "floor" | "gelu" | "clamp" | "cast" | "isNaN" | "isFinite" | "logicalNot";

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const GELU_C = 0.044715;

/** Zero the gradient where `keep` is false (a selection, not a product: no NaN from masked values); null keeps all. */
const keepWhere = (keep: Tensor | null, g: Tensor): Tensor => (keep === null ? g : where(keep, g, 0));

// d gelu(x) = Φ(x) + x·φ(x), with Φ(x) = ½(1 + erf(x/√2)) and φ(x) = exp(−x²/2)/√(2π)
function geluErf(x: Tensor): Tensor {
  const cdf = mul(add(erf(mul(x, Math.SQRT1_2)), 1), 0.5);
  return add(cdf, mul(x, mul(exp(mul(mul(x, x), -0.5)), INV_SQRT_2PI)));
}

// gelu_tanh(x) = ½x(1 + t), t = tanh(u), u = √(2/π)(x + 0.044715x³):
// d = ½(1 + t) + ½x(1 − t²)·√(2/π)(1 + 3·0.044715x²)
function geluTanh(x: Tensor): Tensor {
  const x2 = mul(x, x);
  const t = tanh(mul(mul(x, add(mul(x2, GELU_C), 1)), SQRT_2_OVER_PI));
  const du = mul(add(mul(x2, 3 * GELU_C), 1), SQRT_2_OVER_PI);
  return mul(add(add(t, 1), mul(mul(x, sub(1, mul(t, t))), du)), 0.5);
}

/** Gradient mask of torch.clamp: the gradient passes where min ≤ x ≤ max (inclusive). */
function clampMask(x: Tensor, min: number | null, max: number | null): Tensor | null {
  if (min !== null && max !== null) return logicalAnd(greaterEqual(x, min), lessEqual(x, max));
  if (min !== null) return greaterEqual(x, min);
  if (max !== null) return lessEqual(x, max);
  return null;
}

export const unaryRules: RulesFor<Unary> = {
  neg: (g) => [neg(g)], // d(−x) = −dx
  abs: (g, [x]) => [mul(g, sign(x))], // d|x| = sign(x)·dx (0 at 0, as in PyTorch)
  exp: (g, _, y) => [mul(g, y)], // d(exp x) = exp(x)·dx
  log: (g, [x]) => [div(g, x)], // d(log x) = dx/x
  sqrt: (g, _, y) => [div(g, mul(y, 2))], // d√x = dx/(2√x)
  rsqrt: (g, [x], y) => [mul(g, mul(div(y, x), -0.5))], // d(x^−½) = −½·x^−½/x·dx
  sin: (g, [x]) => [mul(g, cos(x))], // d(sin x) = cos(x)·dx
  cos: (g, [x]) => [neg(mul(g, sin(x)))], // d(cos x) = −sin(x)·dx
  tanh: (g, _, y) => [mul(g, sub(1, mul(y, y)))], // d(tanh x) = (1 − tanh²x)·dx
  sigmoid: (g, _, y) => [mul(g, mul(y, sub(1, y)))], // dσ = σ(1 − σ)·dx
  relu: (g, [x]) => [reluGrad(g, x)], // d relu = [x > 0]·dx (0 at 0), one pass
  erf: (g, [x]) => [mul(g, mul(exp(neg(mul(x, x))), TWO_OVER_SQRT_PI))], // d erf = 2/√π·exp(−x²)·dx
  gelu: (g, [x], _, { approximate }) => [mul(g, approximate === "tanh" ? geluTanh(x) : geluErf(x))], // d gelu = gelu'(x)·dx
  clamp: (g, [x], _, { min, max }) => [keepWhere(clampMask(x, min, max), g)], // d clamp = [min ≤ x ≤ max]·dx
  cast: (g, [x]) => [cast(g, x.dtype)], // float → float passes through; int/bool outputs are never recorded
  sign: nonDifferentiable,
  floor: nonDifferentiable,
  isNaN: nonDifferentiable,
  isFinite: nonDifferentiable,
  logicalNot: nonDifferentiable,
};
