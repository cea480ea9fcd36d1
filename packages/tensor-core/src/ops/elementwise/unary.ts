/**
 * Unary elementwise ops. Float math (exp, log, sqrt, ...) keeps float32/float64 and turns
 * int32/bool into float32; neg, abs, sign, relu and floor keep the input dtype; isNaN,
 * isFinite give bool.
 */
import { run } from "../../dispatch.js";
import { formatShape } from "../../shape.js";
import type { UnaryOp } from "../../registry.js";
import type { Tensor } from "../../tensor.js";
import { expectTensor } from "./convert.js";

function unary(op: UnaryOp, x: Tensor): Tensor {
  return run(op, [expectTensor(op, x)], {});
}

/** -x. Not defined for bool (use logicalNot). @example neg(tensor([1, -2])) // [-1, 2] */
export function neg(x: Tensor): Tensor {
  if (expectTensor("neg", x).dtype === "bool") {
    throw new Error(`neg: negation of a bool tensor is not supported (shape ${formatShape(x.shape)}); use logicalNot`);
  }
  return run("neg", [x], {});
}

/** |x|. @example abs(tensor([-1.5, 2])) // [1.5, 2] */
export const abs = (x: Tensor): Tensor => unary("abs", x);
/** -1, 0 or 1 (±0 and NaN are kept, as in NumPy). @example sign(tensor([-3, 0, 2])) // [-1, 0, 1] */
export const sign = (x: Tensor): Tensor => unary("sign", x);
/** e^x; overflows to Infinity (float32 above x ≈ 88.7). @example exp(tensor([0, 1])) // [1, 2.7183] */
export const exp = (x: Tensor): Tensor => unary("exp", x);
/** Natural logarithm: log(0) = -Infinity, log(x < 0) = NaN. @example log(tensor([1, Math.E])) // [0, 1] */
export const log = (x: Tensor): Tensor => unary("log", x);
/** √x (NaN for x < 0). @example sqrt(tensor([4, 9])) // [2, 3] */
export const sqrt = (x: Tensor): Tensor => unary("sqrt", x);
/** 1/√x. @example rsqrt(tensor([4])) // [0.5] */
export const rsqrt = (x: Tensor): Tensor => unary("rsqrt", x);
/** sin x (radians). @example sin(tensor([0])) // [0] */
export const sin = (x: Tensor): Tensor => unary("sin", x);
/** cos x (radians). @example cos(tensor([0])) // [1] */
export const cos = (x: Tensor): Tensor => unary("cos", x);
/** Hyperbolic tangent. @example tanh(tensor([0, 1e4])) // [0, 1] */
export const tanh = (x: Tensor): Tensor => unary("tanh", x);
/** 1/(1+e^-x), stable for large |x|. @example sigmoid(tensor([0, -1e4])) // [0.5, 0] */
export const sigmoid = (x: Tensor): Tensor => unary("sigmoid", x);
/** max(x, 0); NaN stays NaN (torch.relu). @example relu(tensor([-1, 2])) // [0, 2] */
export const relu = (x: Tensor): Tensor => unary("relu", x);
/** The error function. @example erf(tensor([0, 1])) // [0, 0.8427] */
export const erf = (x: Tensor): Tensor => unary("erf", x);
/** Largest integer ≤ x. @example floor(tensor([1.5, -1.5])) // [1, -2] */
export const floor = (x: Tensor): Tensor => unary("floor", x);
/** true where x is NaN (bool). @example isNaN(tensor([NaN, 1])) // [true, false] */
export const isNaN = (x: Tensor): Tensor => unary("isNaN", x);
/** true where x is neither ±Infinity nor NaN (bool). @example isFinite(tensor([1, Infinity])) // [true, false] */
export const isFinite = (x: Tensor): Tensor => unary("isFinite", x);
