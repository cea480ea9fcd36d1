/**
 * Reference movement kernels. Every output is a new contiguous tensor, except reshape,
 * which shares the input's storage (ops never mutate tensors, so sharing is safe).
 * Copies walk all dimensions but the last with an odometer and copy the last one as a run.
 */
import { allocate, promote, type DataArray } from "../../dtype.js";
import { sizeOf, stridesOf } from "../../shape.js";
import { Tensor } from "../../tensor.js";
import type { KernelTable } from "../backend.js";
import { gatherKernels } from "./movement-gather.js";
import { permuteKernel } from "./movement-permute.js";
import { walk } from "./movement-walk.js";

/** Copy `n` elements from src[i..] to dst[o..] (typed-array set for long runs). */
function copyRun(dst: DataArray, o: number, src: DataArray, i: number, n: number): void {
  if (n >= 16) dst.set(src.subarray(i, i + n), o);
  else for (let k = 0; k < n; k++) dst[o + k] = src[i + k]!;
}

const reshape: KernelTable["reshape"] = ([x], { shape }) => new Tensor(x!.data, shape, x!.dtype);

/** expand: size-1 (or missing leading) dimensions are repeated; the input is read with stride 0 there. */
const expand: KernelTable["expand"] = ([x], { shape }) => {
  const t = x!;
  const out = allocate(t.dtype, sizeOf(shape));
  const n = shape.length;
  if (out.length === 0) return new Tensor(out, shape, t.dtype);
  if (n === 0 || t.size === 1) {
    // one value repeated (e.g. a mean's gradient spread over its input): one fill, not a fill per row
    out.fill(t.data[0]!);
    return new Tensor(out, shape, t.dtype);
  }
  const lead = n - t.rank;
  const xStrides = stridesOf(t.shape);
  const inStr = shape.map((_, d) => (d < lead || t.shape[d - lead] === 1 ? 0 : xStrides[d - lead]!));
  const outStr = stridesOf(shape);
  const last = shape[n - 1]!;
  const lastStride = inStr[n - 1]!;
  walk(shape.slice(0, n - 1), inStr.slice(0, n - 1), outStr.slice(0, n - 1), (i, o) => {
    if (lastStride === 0) out.fill(t.data[i]!, o, o + last);
    else copyRun(out, o, t.data, i, last);
  });
  return new Tensor(out, shape, t.dtype);
};

/** slice with unit steps: out[k] = x[begin + k] for begin <= begin + k < end in every dimension. */
const slice: KernelTable["slice"] = ([x], { begin, end }) => {
  const t = x!;
  const shape = begin.map((b, d) => end[d]! - b);
  const out = allocate(t.dtype, sizeOf(shape));
  const n = shape.length;
  if (n === 0 || out.length === 0) {
    if (out.length > 0) out[0] = t.data[0]!;
    return new Tensor(out, shape, t.dtype);
  }
  const inStr = stridesOf(t.shape);
  const base = begin.reduce((s, b, d) => s + b * inStr[d]!, 0);
  const run = shape[n - 1]!;
  walk(shape.slice(0, n - 1), inStr.slice(0, n - 1), stridesOf(shape).slice(0, n - 1), (i, o) => copyRun(out, o, t.data, base + i, run));
  return new Tensor(out, shape, t.dtype);
};

/** concat along `axis`: each input is a block of [outer, size_i · inner]; dtypes promote (torch.cat). */
const concat: KernelTable["concat"] = (inputs, { axis }) => {
  const first = inputs[0]!;
  const dtype = inputs.reduce((d, t) => promote(d, t.dtype), first.dtype);
  const shape = first.shape.slice();
  shape[axis] = inputs.reduce((n, t) => n + t.shape[axis]!, 0);
  const out = allocate(dtype, sizeOf(shape));
  const outer = sizeOf(shape.slice(0, axis));
  const rowOut = sizeOf(shape.slice(axis));
  let offset = 0;
  for (const t of inputs) {
    const row = sizeOf(t.shape.slice(axis));
    for (let i = 0; i < outer; i++) copyRun(out, i * rowOut + offset, t.data, i * row, row);
    offset += row;
  }
  return new Tensor(out, shape, dtype);
};

/** Constant padding: out is filled with `value`, then x is copied to offset `pads[d][0]` in each dimension. */
const pad: KernelTable["pad"] = ([x], { pads, value }) => {
  const t = x!;
  const shape = t.shape.map((s, d) => s + pads[d]![0] + pads[d]![1]);
  const out = allocate(t.dtype, sizeOf(shape));
  const fill = t.dtype === "bool" ? Number(value !== 0) : value; // bool storage holds only 0 / 1
  if (fill !== 0) out.fill(fill);
  const n = shape.length;
  if (t.size === 0) return new Tensor(out, shape, t.dtype);
  if (n === 0) {
    out[0] = t.data[0]!;
    return new Tensor(out, shape, t.dtype);
  }
  const outStr = stridesOf(shape);
  const base = pads.reduce((s, p, d) => s + p[0] * outStr[d]!, 0);
  const run = t.shape[n - 1]!;
  walk(t.shape.slice(0, n - 1), stridesOf(t.shape).slice(0, n - 1), outStr.slice(0, n - 1), (i, o) => copyRun(out, base + o, t.data, i, run));
  return new Tensor(out, shape, t.dtype);
};

export const movementKernels: Pick<KernelTable, "reshape" | "permute" | "expand" | "slice" | "concat" | "pad" | "gather" | "scatterAdd"> = {
  reshape,
  permute: permuteKernel,
  expand,
  slice,
  concat,
  pad,
  ...gatherKernels,
};
