/** Test helpers (imported only by *.test.ts files). */
import { Generator, randn, type Tensor } from "@heed/tensor-core";

/** A float64 standard-normal tensor from a seed (for gradient checks). */
export function randn64(shape: number[], seed: number, scale = 1): Tensor {
  const t = randn(shape, new Generator(seed), "float64");
  for (let i = 0; i < t.data.length; i++) t.data[i] = t.data[i]! * scale;
  return t;
}
