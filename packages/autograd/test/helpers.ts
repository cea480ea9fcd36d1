/** Shared test helpers: seeded float64 inputs and a gradCheck assertion that prints the worst element. */
import { abs, add, Generator, randn, type Shape, type Tensor } from "@heed/tensor-core";
import { expect } from "vitest";
import { gradCheck, noGrad, type GradCheckOptions } from "../src/index.js";

/** Standard normal float64 values. */
export function normal(shape: Shape, seed: number): Tensor {
  return randn(shape, new Generator(seed), "float64");
}

/** Float64 values in [0.5, ∞) (for log, sqrt, rsqrt, pow bases). */
export function positive(shape: Shape, seed: number): Tensor {
  return noGrad(() => add(abs(normal(shape, seed)), 0.5));
}

export function expectGradOk(f: (...inputs: Tensor[]) => Tensor, inputs: readonly Tensor[], options?: GradCheckOptions): void {
  const r = gradCheck(f, inputs, options);
  expect(r.ok, `gradCheck failed: worst ${JSON.stringify(r.worst)}, maxAbsError ${r.maxAbsError}, maxRelError ${r.maxRelError}`).toBe(true);
}
