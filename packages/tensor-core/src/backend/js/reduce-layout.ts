/**
 * Shared layout helpers for the reduction kernels: every reduction is computed on a
 * view of the input as [outer, R, inner] (R = the product of the reduced dimensions).
 * Reduced axes that are not one contiguous block are first moved to the end by the
 * permute kernel, which gives [outer, R] with inner = 1.
 */
import { allocate, type DataArray } from "../../dtype.js";
import { Tensor } from "../../tensor.js";
import { permuteKernel } from "./movement-permute.js";

export interface ReduceLayout {
  /** The input data laid out as [outer, R, inner]. */
  readonly data: DataArray;
  readonly outer: number;
  readonly R: number;
  readonly inner: number;
  /** The output shape (with or without the kept size-1 dimensions). */
  readonly outShape: number[];
}

/** Output shape of reducing `axes` (sorted, unique, non-negative) of `shape`. */
export function reducedShape(shape: readonly number[], axes: readonly number[], keepDims: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (axes.includes(i)) {
      if (keepDims) out.push(1);
    } else {
      out.push(shape[i]!);
    }
  }
  return out;
}

function product(shape: readonly number[], from: number, to: number): number {
  let n = 1;
  for (let i = from; i < to; i++) n *= shape[i]!;
  return n;
}

/** View `x` as [outer, R, inner] for reducing `axes`, permuting only when the axes are not contiguous. */
export function reduceLayout(x: Tensor, axes: readonly number[], keepDims: boolean): ReduceLayout {
  const shape = x.shape;
  const outShape = reducedShape(shape, axes, keepDims);
  if (axes.length === 0) return { data: x.data, outer: x.size, R: 1, inner: 1, outShape };
  const first = axes[0]!;
  const last = axes[axes.length - 1]!;
  if (last - first + 1 === axes.length) {
    return { data: x.data, outer: product(shape, 0, first), R: product(shape, first, last + 1), inner: product(shape, last + 1, shape.length), outShape };
  }
  const kept = shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const moved = permuteKernel([x], { perm: [...kept, ...axes] });
  const R = axes.reduce((n, a) => n * shape[a]!, 1);
  const outer = kept.reduce((n, a) => n * shape[a]!, 1);
  return { data: moved.data, outer, R, inner: 1, outShape };
}

/** Allocate the output of a reduction whose values are produced as JS numbers. */
export function reduceOutput(x: Tensor, layout: ReduceLayout, dtype = x.dtype): Tensor {
  return new Tensor(allocate(dtype, layout.outer * layout.inner), layout.outShape, dtype);
}
