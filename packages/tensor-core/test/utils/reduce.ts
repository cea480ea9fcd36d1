/**
 * Test-only reference for the reduction tests (not exported from the package): group the
 * elements of a row-major array by their index with `axes` removed, the slow obvious way,
 * and reduce each group with a float64 function.
 */
import { sizeOf, stridesOf } from "../../src/shape.js";

export function refReduce(shape: readonly number[], data: ArrayLike<number>, axes: readonly number[], f: (values: number[]) => number): Float64Array {
  const kept = shape.map((_, d) => d).filter((d) => !axes.includes(d));
  const outShape = kept.map((d) => shape[d]!);
  const outStrides = stridesOf(outShape);
  const strides = stridesOf(shape);
  const groups = Array.from({ length: sizeOf(outShape) }, (): number[] => []);
  for (let i = 0; i < data.length; i++) {
    let o = 0;
    kept.forEach((d, k) => {
      o += (Math.floor(i / strides[d]!) % shape[d]!) * outStrides[k]!;
    });
    groups[o]!.push(data[i]!);
  }
  return Float64Array.from(groups, f);
}

export const refSum = (v: number[]): number => v.reduce((s, x) => s + x, 0);
export const refMax = (v: number[]): number => (v.some(Number.isNaN) ? NaN : Math.max(...v));
export const refMin = (v: number[]): number => (v.some(Number.isNaN) ? NaN : Math.min(...v));
