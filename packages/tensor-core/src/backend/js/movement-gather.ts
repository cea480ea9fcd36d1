/**
 * gather and its adjoint scatterAdd, on the view x = [pre, n, post]:
 *   gather:     out[p, k, q]            = x[p, indices[k], q]      out = x[:axis] + indices.shape + x[axis+1:]
 *   scatterAdd: out[p, indices[k], q]  += src[p, k, q]             out = src[:axis] + [size] + src[axis+indices.rank:]
 * Repeated indices accumulate in scatterAdd, which makes it the gradient of gather.
 */
import { allocate, type DataArray } from "../../dtype.js";
import { formatShape, sizeOf } from "../../shape.js";
import { Tensor } from "../../tensor.js";
import type { KernelTable } from "../backend.js";

/** Throw a clear error if any index is outside [0, n). */
function checkIndices(op: string, indices: Tensor, n: number, axis: number, other: Tensor, otherName: string): void {
  const idx = indices.data;
  for (let k = 0; k < idx.length; k++) {
    const v = idx[k]!;
    if (!(v >= 0 && v < n)) {
      throw new Error(
        `${op}: index ${v} is out of range for dimension ${axis} of size ${n} (${otherName}: ${formatShape(other.shape)}, indices: ${formatShape(indices.shape)})`,
      );
    }
  }
}

function copy(dst: DataArray, o: number, src: DataArray, i: number, n: number): void {
  if (n >= 16) dst.set(src.subarray(i, i + n), o);
  else for (let k = 0; k < n; k++) dst[o + k] = src[i + k]!;
}

const gather: KernelTable["gather"] = ([x, indices], { axis }) => {
  const t = x!;
  const ind = indices!;
  const n = t.shape[axis]!;
  checkIndices("gather", ind, n, axis, t, "x");
  const shape = [...t.shape.slice(0, axis), ...ind.shape, ...t.shape.slice(axis + 1)];
  const out = allocate(t.dtype, sizeOf(shape));
  const pre = sizeOf(t.shape.slice(0, axis));
  const post = sizeOf(t.shape.slice(axis + 1));
  const idx = ind.data;
  const K = idx.length;
  for (let p = 0; p < pre; p++) {
    for (let k = 0; k < K; k++) copy(out, (p * K + k) * post, t.data, (p * n + idx[k]!) * post, post);
  }
  return new Tensor(out, shape, t.dtype);
};

const scatterAdd: KernelTable["scatterAdd"] = ([src, indices], { axis, size }) => {
  const s = src!;
  const ind = indices!;
  checkIndices("scatterAdd", ind, size, axis, s, "src");
  const r = ind.rank;
  const shape = [...s.shape.slice(0, axis), size, ...s.shape.slice(axis + r)];
  const out = allocate(s.dtype, sizeOf(shape));
  const pre = sizeOf(s.shape.slice(0, axis));
  const post = sizeOf(s.shape.slice(axis + r));
  const idx = ind.data;
  const K = idx.length;
  const data = s.data;
  for (let p = 0; p < pre; p++) {
    for (let k = 0; k < K; k++) {
      const o = (p * size + idx[k]!) * post;
      const i = (p * K + k) * post;
      for (let q = 0; q < post; q++) out[o + q]! += data[i + q]!;
    }
  }
  return new Tensor(out, shape, s.dtype);
};

export const gatherKernels: Pick<KernelTable, "gather" | "scatterAdd"> = { gather, scatterAdd };
