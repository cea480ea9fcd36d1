import { describe, expect, it } from "vitest";
import { dropoutUniform } from "./dropout-hash.js";
import { dropoutReference, dropoutScale } from "./dropout.js";

describe("dropout kernel (reference)", () => {
  const ones = (n: number): Float32Array => new Float32Array(n).fill(1);

  it("drops element i iff dropoutUniform(seed, 0, i) < p and scales the rest by 1/(1 − p)", () => {
    const out = dropoutReference({ x: ones(1000), p: 0.3, seed: 5 });
    const scale = Math.fround(1 / 0.7);
    for (let i = 0; i < 1000; i++) expect(out[i]).toBe(dropoutUniform(5, 0, i) < 0.3 ? 0 : scale);
  });

  it("drops a fraction p (10^5 draws within ±0.005); same seed same mask, another seed another", () => {
    for (const p of [0.1, 0.5, 0.9]) {
      const out = dropoutReference({ x: ones(100_000), p, seed: 11 });
      const dropped = out.reduce((n, v) => n + (v === 0 ? 1 : 0), 0) / out.length;
      expect(Math.abs(dropped - p)).toBeLessThan(0.005);
    }
    const a = dropoutReference({ x: ones(64), p: 0.5, seed: 1 });
    expect([...dropoutReference({ x: ones(64), p: 0.5, seed: 1 })]).toEqual([...a]);
    expect([...dropoutReference({ x: ones(64), p: 0.5, seed: 2 })]).not.toEqual([...a]);
  });

  it("p = 0 keeps everything, p = 1 zeroes everything (NaN stays NaN: x·0)", () => {
    const x = Float64Array.from([1, -2, NaN, Infinity]);
    expect([...dropoutReference({ x, p: 0, seed: 3 })]).toEqual([1, -2, NaN, Infinity]);
    expect([...dropoutReference({ x, p: 1, seed: 3 })]).toEqual([0, -0, NaN, NaN]);
    expect(dropoutScale(1, x)).toBe(0);
    expect(dropoutScale(0.1, new Float32Array(1))).toBe(Math.fround(1 / 0.9));
  });
});
