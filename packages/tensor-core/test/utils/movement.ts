/**
 * Test-only references for the movement tests (not exported from the package): each
 * element is placed by decoding its multi-index the slow, obvious way.
 */
import { sizeOf, stridesOf } from "../../src/shape.js";

/** The multi-index of flat position `i` in `shape`. */
export function unravel(i: number, shape: readonly number[]): number[] {
  const strides = stridesOf(shape);
  return shape.map((d, k) => Math.floor(i / strides[k]!) % d);
}

/** The flat position of multi-index `idx` in `shape`. */
export function ravel(idx: readonly number[], shape: readonly number[]): number {
  return idx.reduce((o, v, k) => o * shape[k]! + v, 0);
}

/** out[idx] = data[f(idx)] for every multi-index of `outShape`. */
export function refMap(outShape: readonly number[], data: ArrayLike<number>, inShape: readonly number[], f: (idx: number[]) => number[]): Float64Array {
  return Float64Array.from({ length: sizeOf(outShape) }, (_, i) => data[ravel(f(unravel(i, outShape)), inShape)]!);
}
