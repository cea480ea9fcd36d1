/**
 * The closed set of primitive ops. Every op has exactly one entry here (its name and
 * typed attributes), one public function in `ops/`, one kernel per backend and one
 * gradient rule in @heed/autograd. Tables over `OpName` are mapped types, so adding an
 * op here breaks the build until every table has it.
 *
 * Composite ops (mean, var, logSumExp, squeeze, transpose, stack, split, tril, layer
 * norm, attention, ...) are written with these primitives and need no kernel or rule.
 */
import type { DType } from "./dtype.js";

type None = Record<string, never>;

export interface OpAttrs {
  // ---- unary, float -> float (int inputs are promoted to float32 where noted in ops/unary.ts)
  neg: None;
  abs: None;
  sign: None;
  exp: None;
  log: None;
  sqrt: None;
  rsqrt: None;
  sin: None;
  cos: None;
  tanh: None;
  sigmoid: None;
  relu: None;
  erf: None;
  floor: None;
  gelu: { approximate: "none" | "tanh" };
  clamp: { min: number | null; max: number | null };
  cast: { dtype: DType };
  isNaN: None;
  isFinite: None;
  logicalNot: None;
  // ---- binary with NumPy broadcasting
  add: None;
  sub: None;
  mul: None;
  div: None;
  pow: None;
  maximum: None;
  minimum: None;
  equal: None;
  notEqual: None;
  less: None;
  lessEqual: None;
  greater: None;
  greaterEqual: None;
  logicalAnd: None;
  logicalOr: None;
  logicalXor: None;
  /** inputs: [condition (bool), a, b], all broadcast together */
  where: None;
  /** inputs: [g, x] of one shape: g where x > 0, else 0 (relu's backward in one pass) */
  reluGrad: None;
  // ---- reductions (axes sorted, unique, non-negative)
  sum: { axes: number[]; keepDims: boolean };
  max: { axes: number[]; keepDims: boolean };
  min: { axes: number[]; keepDims: boolean };
  argmax: { axis: number; keepDims: boolean };
  argmin: { axis: number; keepDims: boolean };
  // ---- movement (outputs are new contiguous tensors)
  reshape: { shape: number[] };
  permute: { perm: number[] };
  expand: { shape: number[] };
  /** unit-step slice; begin/end are normalised, 0 <= begin <= end <= dim */
  slice: { begin: number[]; end: number[] };
  /** n-ary: inputs are the tensors to join */
  concat: { axis: number };
  /** constant padding; pads[i] = [before, after] for dimension i (non-negative) */
  pad: { pads: [number, number][]; value: number };
  /** inputs: [x, indices(int32, any shape)]; out shape = x[:axis] + indices + x[axis+1:] */
  gather: { axis: number };
  /** inputs: [src, indices]; the adjoint of gather: out shape = src[:axis] + [size] + src[axis+indices.rank:] */
  scatterAdd: { axis: number; size: number };
  /** inputs [a, b]: a[..., M, K] (or [..., K, M] if transA) x b[..., K, N] (or [..., N, K] if transB); batch dims broadcast */
  matmul: { transA: boolean; transB: boolean };
  // ---- normalisation (numerically stable kernels)
  softmax: { axis: number };
  logSoftmax: { axis: number };
}

export type OpName = keyof OpAttrs;

export const OP_NAMES = [
  "neg", "abs", "sign", "exp", "log", "sqrt", "rsqrt", "sin", "cos", "tanh", "sigmoid", "relu", "erf", "floor",
  "gelu", "clamp", "cast", "isNaN", "isFinite", "logicalNot",
  "add", "sub", "mul", "div", "pow", "maximum", "minimum",
  "equal", "notEqual", "less", "lessEqual", "greater", "greaterEqual", "logicalAnd", "logicalOr", "logicalXor", "where", "reluGrad",
  "sum", "max", "min", "argmax", "argmin",
  "reshape", "permute", "expand", "slice", "concat", "pad", "gather", "scatterAdd",
  "matmul", "softmax", "logSoftmax",
] as const satisfies readonly OpName[];

// Compile-time check that OP_NAMES lists every op exactly once.
type Missing = Exclude<OpName, (typeof OP_NAMES)[number]>;
const _allListed: Missing extends never ? true : Missing = true;
void _allListed;

export type UnaryOp = "neg" | "abs" | "sign" | "exp" | "log" | "sqrt" | "rsqrt" | "sin" | "cos" | "tanh" | "sigmoid" | "relu" | "erf" | "floor" | "isNaN" | "isFinite" | "logicalNot";
export type BinaryOp = "add" | "sub" | "mul" | "div" | "pow" | "maximum" | "minimum" | "equal" | "notEqual" | "less" | "lessEqual" | "greater" | "greaterEqual" | "logicalAnd" | "logicalOr" | "logicalXor";
export type ReduceOp = "sum" | "max" | "min";
