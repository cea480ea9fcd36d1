/**
 * Reference kernels of the binary elementwise ops with NumPy broadcasting.
 *
 * Each op is one segment loop `out[o..o+n) = a[ia] op b[ib]` where ia and ib advance by
 * 0 or 1 per element (see elementwise-iter.ts). Same shapes and scalar operands are a
 * single segment over the whole output; [B,L,E] + [E] and [B,L,E] * [B,L,1] are B·L
 * segments of E; anything else goes through the coalesced odometer.
 *
 * Output dtypes follow PyTorch promotion (dtype.ts `promote`); div is true division
 * (int → float32); comparisons and logical ops give bool (non-zero and NaN are true).
 * pow is JS Math.pow (so pow(1, NaN) is NaN where C gives 1), and int32 results wrap.
 */
import { allocate, promote, type DataArray, type DType } from "../../dtype.js";
import type { BinaryOp } from "../../registry.js";
import { broadcastShapes, sizeOf } from "../../shape.js";
import { Tensor } from "../../tensor.js";
import type { Kernel } from "../backend.js";
import { runSegments } from "./elementwise-iter.js";
import { floatDtype } from "./elementwise-unary.js";

/** out[o + i] = f(a[ia + i·sa], b[ib + i·sb]) for i < n. */
export type Segment = (o: DataArray, oi: number, a: DataArray, ia: number, sa: number, b: DataArray, ib: number, sb: number, n: number) => void;

const SEGMENTS: Record<BinaryOp, Segment> = {
  add: (o, oi, a, ia, sa, b, ib, sb, n) => { for (let j = oi, e = oi + n; j < e; j++, ia += sa, ib += sb) o[j] = a[ia]! + b[ib]!; },
  sub: (o, oi, a, ia, sa, b, ib, sb, n) => { for (let j = oi, e = oi + n; j < e; j++, ia += sa, ib += sb) o[j] = a[ia]! - b[ib]!; },
  mul: (o, oi, a, ia, sa, b, ib, sb, n) => { for (let j = oi, e = oi + n; j < e; j++, ia += sa, ib += sb) o[j] = a[ia]! * b[ib]!; },
  div: (o, oi, a, ia, sa, b, ib, sb, n) => { for (let j = oi, e = oi + n; j < e; j++, ia += sa, ib += sb) o[j] = a[ia]! / b[ib]!; },
  pow: (o, oi, a, ia, sa, b, ib, sb, n) => { for (let j = oi, e = oi + n; j < e; j++, ia += sa, ib += sb) o[j] = Math.pow(a[ia]!, b[ib]!); },
  // Math.max/min propagate NaN, as torch.maximum/minimum do
  maximum: (o, oi, a, ia, sa, b, ib, sb, n) => { for (let j = oi, e = oi + n; j < e; j++, ia += sa, ib += sb) o[j] = Math.max(a[ia]!, b[ib]!); },
  minimum: (o, oi, a, ia, sa, b, ib, sb, n) => { for (let j = oi, e = oi + n; j < e; j++, ia += sa, ib += sb) o[j] = Math.min(a[ia]!, b[ib]!); },
  equal: (o, oi, a, ia, sa, b, ib, sb, n) => { for (let j = oi, e = oi + n; j < e; j++, ia += sa, ib += sb) o[j] = a[ia] === b[ib] ? 1 : 0; },
  notEqual: (o, oi, a, ia, sa, b, ib, sb, n) => { for (let j = oi, e = oi + n; j < e; j++, ia += sa, ib += sb) o[j] = a[ia] !== b[ib] ? 1 : 0; },
  less: (o, oi, a, ia, sa, b, ib, sb, n) => { for (let j = oi, e = oi + n; j < e; j++, ia += sa, ib += sb) o[j] = a[ia]! < b[ib]! ? 1 : 0; },
  lessEqual: (o, oi, a, ia, sa, b, ib, sb, n) => { for (let j = oi, e = oi + n; j < e; j++, ia += sa, ib += sb) o[j] = a[ia]! <= b[ib]! ? 1 : 0; },
  greater: (o, oi, a, ia, sa, b, ib, sb, n) => { for (let j = oi, e = oi + n; j < e; j++, ia += sa, ib += sb) o[j] = a[ia]! > b[ib]! ? 1 : 0; },
  greaterEqual: (o, oi, a, ia, sa, b, ib, sb, n) => { for (let j = oi, e = oi + n; j < e; j++, ia += sa, ib += sb) o[j] = a[ia]! >= b[ib]! ? 1 : 0; },
  logicalAnd: (o, oi, a, ia, sa, b, ib, sb, n) => { for (let j = oi, e = oi + n; j < e; j++, ia += sa, ib += sb) o[j] = a[ia] !== 0 && b[ib] !== 0 ? 1 : 0; },
  logicalOr: (o, oi, a, ia, sa, b, ib, sb, n) => { for (let j = oi, e = oi + n; j < e; j++, ia += sa, ib += sb) o[j] = a[ia] !== 0 || b[ib] !== 0 ? 1 : 0; },
  logicalXor: (o, oi, a, ia, sa, b, ib, sb, n) => { for (let j = oi, e = oi + n; j < e; j++, ia += sa, ib += sb) o[j] = (a[ia] !== 0) !== (b[ib] !== 0) ? 1 : 0; },
};

/** int32 products wrap modulo 2^32 like C; a float64 product of two int32 could lose the low bits. */
const mulInt32: Segment = (o, oi, a, ia, sa, b, ib, sb, n) => { for (let j = oi, e = oi + n; j < e; j++, ia += sa, ib += sb) o[j] = Math.imul(a[ia]!, b[ib]!); };

const BOOL_RESULT = new Set<BinaryOp>(["equal", "notEqual", "less", "lessEqual", "greater", "greaterEqual", "logicalAnd", "logicalOr", "logicalXor"]);

/** The output dtype of a binary op on inputs of dtypes `a` and `b`. */
export function binaryDtype(op: BinaryOp, a: DType, b: DType): DType {
  if (BOOL_RESULT.has(op)) return "bool";
  const t = promote(a, b);
  return op === "div" ? floatDtype(t) : t;
}

function binaryKernel(op: BinaryOp): Kernel<BinaryOp> {
  return ([a, b]) => {
    const shape = broadcastShapes(op, a!.shape, b!.shape);
    const dtype = binaryDtype(op, a!.dtype, b!.dtype);
    const out = allocate(dtype, sizeOf(shape));
    const seg = op === "mul" && dtype === "int32" ? mulInt32 : SEGMENTS[op];
    const ad = a!.data;
    const bd = b!.data;
    runSegments(shape, [a!, b!], (o, n, off, step) => seg(out, o, ad, off[0]!, step[0]!, bd, off[1]!, step[1]!, n));
    // bool arithmetic (add = or, mul = and, max = or, ...): map 2 back to true
    if (dtype === "bool" && !BOOL_RESULT.has(op)) for (let i = 0; i < out.length; i++) out[i] = out[i] !== 0 ? 1 : 0;
    return new Tensor(out, shape, dtype);
  };
}

export const binaryKernels = Object.fromEntries(
  (Object.keys(SEGMENTS) as BinaryOp[]).map((op) => [op, binaryKernel(op)]),
) as { [P in BinaryOp]: Kernel<P> };
