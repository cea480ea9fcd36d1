/**
 * float32 add, sub, mul, div, relu, reluGrad and sum on WebAssembly SIMD (assembly/elementwise.ts).
 * Copying the operands in and the result out runs at memcpy speed, so these one-pass ops
 * still run several times faster than the reference JS loops. Handled layouts: same shapes,
 * one operand a single value, or one operand the trailing rows of the other (a bias [E]
 * added to [..., E]); anything else (other broadcasts, other dtypes) uses the reference kernel.
 */
import { broadcastShapes, sizeOf } from "../../shape.js";
import { Tensor } from "../../tensor.js";
import type { KernelTable } from "../backend.js";
import { reduceLayout } from "../js/reduce-layout.js";
import { referenceKernels } from "../js/index.js";
import { EW_ADD, EW_DIV, EW_MUL, EW_SUB } from "./abi.js";
import { getSerialRuntime } from "./serial.js";
import { getRuntime } from "./state.js";

type Arith = "add" | "sub" | "mul" | "div";
const CODE: Record<Arith, number> = { add: EW_ADD, sub: EW_SUB, mul: EW_MUL, div: EW_DIV };

/** Size of `small` if it repeats along the leading dims of `big` (a suffix of its shape, leading 1s allowed), else −1. */
function trailingBlock(big: readonly number[], small: readonly number[]): number {
  let r = small.length;
  while (r > 0 && small[small.length - r] === 1) r--;
  const tail = small.slice(small.length - r);
  if (tail.length > big.length) return -1;
  for (let i = 0; i < tail.length; i++) if (tail[i] !== big[big.length - tail.length + i]) return -1;
  return sizeOf(tail);
}

function arith<P extends Arith>(op: P): KernelTable[P] {
  return (inputs, attrs) => {
    const [a, b] = inputs as [Tensor, Tensor];
    if (a.dtype !== "float32" || b.dtype !== "float32") return referenceKernels[op](inputs, attrs);
    const shape = broadcastShapes(op, a.shape, b.shape);
    const n = sizeOf(shape);
    // the full-size operand drives the loop; the other repeats every bn elements
    const swap = a.size !== n;
    const [big, small] = swap ? [b, a] : [a, b];
    const bn = big.size === n && big.rank === shape.length ? trailingBlock(big.shape, small.shape) : -1;
    if (n === 0 || bn <= 0 || n % bn !== 0) return referenceKernels[op](inputs, attrs);
    const rt = getSerialRuntime();
    const [pa, pb] = rt.layout([4 * n, 4 * bn]) as [number, number];
    const f32 = rt.f32;
    f32.set(big.data, pa >> 2);
    f32.set(small.data, pb >> 2);
    rt.exports.binaryF32(CODE[op], swap ? 1 : 0, pa, pb, pa, n, bn);
    return new Tensor(rt.read(pa, n), shape, "float32");
  };
}

export const add = arith("add");
export const sub = arith("sub");
export const mul = arith("mul");
export const div = arith("div");

export const relu: KernelTable["relu"] = (inputs, attrs) => {
  const x = inputs[0]!;
  if (x.dtype !== "float32" || x.size === 0) return referenceKernels.relu(inputs, attrs);
  const rt = getRuntime();
  const p = rt.reserve(4 * x.size);
  rt.f32.set(x.data, p >> 2);
  rt.exports.reluF32(p, p, x.size);
  return new Tensor(rt.read(p, x.size), x.shape, "float32");
};

export const reluGrad: KernelTable["reluGrad"] = (inputs, attrs) => {
  const [g, x] = inputs as [Tensor, Tensor];
  if (g.dtype !== "float32" || x.dtype !== "float32" || g.size === 0 || g.size !== x.size) return referenceKernels.reluGrad(inputs, attrs);
  const rt = getRuntime();
  const [pg, px] = rt.layout([4 * g.size, 4 * x.size]) as [number, number];
  const f32 = rt.f32;
  f32.set(g.data, pg >> 2);
  f32.set(x.data, px >> 2);
  rt.exports.reluGradF32(pg, px, pg, g.size);
  return new Tensor(rt.read(pg, g.size), g.shape, "float32");
};

/** float32 sums over any axes, accumulated in float64 (column sums match the reference bit for bit). */
export const sum: KernelTable["sum"] = (inputs, attrs) => {
  const x = inputs[0]!;
  if (x.dtype !== "float32" || x.size === 0) return referenceKernels.sum(inputs, attrs);
  const L = reduceLayout(x, attrs.axes, attrs.keepDims);
  const { outer, R, inner } = L;
  const rt = getSerialRuntime();
  const [px, po, pacc] = rt.layout([4 * x.size, 4 * outer * inner, 8 * inner]) as [number, number, number];
  rt.f32.set(L.data, px >> 2);
  rt.exports.sumF32(px, po, outer, R, inner, pacc);
  return new Tensor(rt.read(po, outer * inner), L.outShape, "float32");
};
