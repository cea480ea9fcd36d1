/** Test helpers (imported only by *.test.ts files). */
import { Generator, randn, type Tensor } from "@heed/tensor-core";
import { expect } from "vitest";

/** Every |a − e| ≤ atol + rtol·|e| (NaN only where NaN is expected), with the worst index in the message. */
export function expectAllClose(actual: Tensor | ArrayLike<number>, expected: ArrayLike<number>, { rtol = 1e-4, atol = 1e-5 } = {}): void {
  const a = "data" in actual ? actual.data : actual;
  expect(a.length).toBe(expected.length);
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const e = expected[i]!;
    if (Number.isNaN(e)) {
      expect(x, `index ${i}`).toBeNaN();
      continue;
    }
    if (x === e) continue;
    const ok = Math.abs(x - e) <= atol + rtol * Math.abs(e);
    expect(ok, `index ${i}: got ${x}, expected ${e} (rtol ${rtol}, atol ${atol})`).toBe(true);
  }
}

/** A float64 standard-normal tensor from a seed (for gradient checks). */
export function randn64(shape: number[], seed: number, scale = 1): Tensor {
  const t = randn(shape, new Generator(seed), "float64");
  for (let i = 0; i < t.data.length; i++) t.data[i] = t.data[i]! * scale;
  return t;
}
