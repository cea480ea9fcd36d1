/**
 * Test-only helpers for the elementwise tests (not exported from the package): a float64
 * reference broadcaster and deterministic values (values are compared with `toBeAllclose`).
 */
import { Generator } from "../../src/random.js";
import { sizeOf, stridesOf } from "../../src/shape.js";

/** Deterministic values in [lo, hi). */
export function uniform(n: number, seed: number, lo = -3, hi = 3): Float64Array {
  const rng = new Generator(seed);
  return Float64Array.from({ length: n }, () => lo + (hi - lo) * rng.nextFloat());
}

/**
 * The broadcast of `inputs` computed the slow, obvious way: for every output multi-index,
 * read each input at that index with broadcast dimensions pinned to 0.
 */
export function refBroadcast(
  inputs: readonly { shape: readonly number[]; data: ArrayLike<number> }[],
  f: (...v: number[]) => number,
): { shape: number[]; data: Float64Array } {
  const rank = Math.max(...inputs.map((t) => t.shape.length));
  const shape = Array.from({ length: rank }, (_, d) => {
    const dims = inputs.map((t) => t.shape[t.shape.length - rank + d] ?? 1);
    return dims.includes(0) ? 0 : Math.max(...dims);
  });
  const n = sizeOf(shape);
  const outStrides = stridesOf(shape);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const idx = outStrides.map((s, d) => Math.floor(i / s) % shape[d]!);
    const vals = inputs.map((t) => {
      const st = stridesOf(t.shape);
      let off = 0;
      t.shape.forEach((dim, k) => {
        if (dim !== 1) off += idx[rank - t.shape.length + k]! * st[k]!;
      });
      return t.data[off]!;
    });
    data[i] = f(...vals);
  }
  return { shape, data };
}
