/**
 * Reference kernels of the unary elementwise ops: one small loop per op over the flat
 * storage (inputs are contiguous, the output has the input's shape).
 *
 * Output dtypes: float ops keep float32/float64 and promote int32/bool to float32;
 * neg/abs/sign/relu/floor keep the input dtype; isNaN/isFinite/logicalNot give bool.
 */
import { allocate, isFloat, type DataArray, type DType } from "../../dtype.js";
import type { OpAttrs, UnaryOp } from "../../registry.js";
import { Tensor } from "../../tensor.js";
import type { Kernel } from "../backend.js";
import { erf, geluExact, geluTanh, sigmoid } from "./elementwise-math.js";

type Loop = (x: DataArray, o: DataArray) => void;

const LOOPS: Record<UnaryOp, Loop> = {
  neg: (x, o) => { for (let i = 0; i < x.length; i++) o[i] = -x[i]!; },
  abs: (x, o) => { for (let i = 0; i < x.length; i++) o[i] = Math.abs(x[i]!); },
  // ±1 for non-zero, keeps ±0 and NaN (NumPy semantics; PyTorch gives 0 for NaN)
  sign: (x, o) => { for (let i = 0; i < x.length; i++) { const v = x[i]!; o[i] = v > 0 ? 1 : v < 0 ? -1 : v; } },
  exp: (x, o) => { for (let i = 0; i < x.length; i++) o[i] = Math.exp(x[i]!); },
  log: (x, o) => { for (let i = 0; i < x.length; i++) o[i] = Math.log(x[i]!); },
  sqrt: (x, o) => { for (let i = 0; i < x.length; i++) o[i] = Math.sqrt(x[i]!); },
  rsqrt: (x, o) => { for (let i = 0; i < x.length; i++) o[i] = 1 / Math.sqrt(x[i]!); },
  sin: (x, o) => { for (let i = 0; i < x.length; i++) o[i] = Math.sin(x[i]!); },
  cos: (x, o) => { for (let i = 0; i < x.length; i++) o[i] = Math.cos(x[i]!); },
  tanh: (x, o) => { for (let i = 0; i < x.length; i++) o[i] = Math.tanh(x[i]!); },
  sigmoid: (x, o) => { for (let i = 0; i < x.length; i++) o[i] = sigmoid(x[i]!); },
  // max(x, 0) that keeps NaN (as torch.relu does). Branch-free (v·[v > 0] + 0; NaN·0 = NaN,
  // −0 → +0): a `v > 0 ? v : 0` select mispredicts on random signs and runs ~20× slower.
  // Only −∞ (−∞·0 = NaN) takes the branch, which is predictable.
  relu: (x, o) => { for (let i = 0; i < x.length; i++) { const v = x[i]!; o[i] = v === -Infinity ? 0 : v * +(v > 0) + 0; } },
  erf: (x, o) => { for (let i = 0; i < x.length; i++) o[i] = erf(x[i]!); },
  floor: (x, o) => { for (let i = 0; i < x.length; i++) o[i] = Math.floor(x[i]!); },
  isNaN: (x, o) => { for (let i = 0; i < x.length; i++) o[i] = x[i] !== x[i] ? 1 : 0; },
  // v - v is 0 for finite v and NaN for ±Infinity and NaN
  isFinite: (x, o) => { for (let i = 0; i < x.length; i++) { const v = x[i]!; o[i] = v - v === 0 ? 1 : 0; } },
  logicalNot: (x, o) => { for (let i = 0; i < x.length; i++) o[i] = x[i] === 0 ? 1 : 0; },
};

const KEEPS_DTYPE = new Set<UnaryOp>(["neg", "abs", "sign", "relu", "floor"]);
const GIVES_BOOL = new Set<UnaryOp>(["isNaN", "isFinite", "logicalNot"]);

/** float32/float64 stay, int32/bool become float32. */
export function floatDtype(dtype: DType): DType {
  return isFloat(dtype) ? dtype : "float32";
}

/** The output dtype of a unary op on an input of `dtype`. */
export function unaryDtype(op: UnaryOp, dtype: DType): DType {
  if (KEEPS_DTYPE.has(op)) return dtype;
  if (GIVES_BOOL.has(op)) return "bool";
  return floatDtype(dtype);
}

function unaryKernel(op: UnaryOp): Kernel<UnaryOp> {
  const loop = LOOPS[op];
  return ([x]) => {
    const dtype = unaryDtype(op, x!.dtype);
    const out = allocate(dtype, x!.size);
    loop(x!.data, out);
    return new Tensor(out, x!.shape, dtype);
  };
}

export const unaryKernels = Object.fromEntries(
  (Object.keys(LOOPS) as UnaryOp[]).map((op) => [op, unaryKernel(op)]),
) as { [P in UnaryOp]: Kernel<P> };

export const gelu: Kernel<"gelu"> = ([x], { approximate }) => {
  const { data, size } = x!;
  const out = allocate(floatDtype(x!.dtype), size);
  if (approximate === "tanh") for (let i = 0; i < size; i++) out[i] = geluTanh(data[i]!);
  else for (let i = 0; i < size; i++) out[i] = geluExact(data[i]!);
  return new Tensor(out, x!.shape);
};

/** clamp keeps float dtypes; int32/bool stay int32 with integer (or null) bounds and become float32 otherwise. */
export function clampDtype(dtype: DType, { min, max }: OpAttrs["clamp"]): DType {
  if (isFloat(dtype)) return dtype;
  const integral = (b: number | null): boolean => b === null || Number.isInteger(b);
  return integral(min) && integral(max) ? "int32" : "float32";
}

/** torch.clamp: NaN inputs stay NaN, a NaN bound gives NaN, and min > max gives max everywhere. */
export const clamp: Kernel<"clamp"> = ([x], attrs) => {
  const { data, size } = x!;
  const out = allocate(clampDtype(x!.dtype, attrs), size);
  const lo = attrs.min ?? -Infinity;
  const hi = attrs.max ?? Infinity;
  if (lo !== lo || hi !== hi) out.fill(NaN);
  else {
    for (let i = 0; i < size; i++) {
      let v = data[i]!;
      if (v < lo) v = lo;
      if (v > hi) v = hi;
      out[i] = v;
    }
  }
  return new Tensor(out, x!.shape);
};

/** Conversion as in torch `.to(dtype)`: floats to int32 truncate toward zero, anything non-zero (NaN too) is true. */
export const cast: Kernel<"cast"> = ([x], { dtype }) => {
  const out = allocate(dtype, x!.size);
  const data = x!.data;
  if (dtype === "bool") for (let i = 0; i < data.length; i++) out[i] = data[i] !== 0 ? 1 : 0;
  else out.set(data);
  return new Tensor(out, x!.shape, dtype);
};
