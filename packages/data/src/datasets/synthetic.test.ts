import { describe, expect, it } from "vitest";
import { copyTask, regressionData, reverseTask, sortTask } from "../index.js";

describe("sequence tasks", () => {
  it("copy, reverse and sort targets; ids and lengths in range; seeded", () => {
    const opts = { n: 50, minLen: 2, maxLen: 6, vocabSize: 10, seed: 5 };
    const c = copyTask(opts);
    const r = reverseTask(opts);
    const s = sortTask(opts);
    expect(c).toHaveLength(50);
    for (let i = 0; i < 50; i++) {
      const src = c[i]!.src;
      expect(src.length).toBeGreaterThanOrEqual(2);
      expect(src.length).toBeLessThanOrEqual(6);
      expect(src.every((t) => t >= 4 && t < 10)).toBe(true);
      expect(c[i]!.tgt).toEqual(src);
      expect(r[i]!.src).toEqual(src); // same seed, same sources
      expect(r[i]!.tgt).toEqual([...src].reverse());
      expect(s[i]!.tgt).toEqual([...src].sort((a, b) => a - b));
    }
    expect(copyTask({ ...opts, seed: 6 })).not.toEqual(c);
    expect(new Set(c.map((p) => p.src.length)).size).toBe(5);
  });

  it("rejects bad settings", () => {
    expect(() => copyTask({ n: 1, minLen: 3, maxLen: 2 })).toThrow("copyTask: need integers 0 <= minLen <= maxLen (n 1, minLen 3, maxLen 2, vocabSize 16, firstId 4)");
    expect(() => sortTask({ n: 1, vocabSize: 4 })).toThrow(/^sortTask: need integers 0 <= firstId < vocabSize/);
    expect(() => reverseTask({ n: -1 })).toThrow(/^reverseTask: n must be a non-negative integer/);
  });
});

describe("regressionData", () => {
  it("is y = x·w + b + noise with x uniform in [-1, 1)", () => {
    const { x, y, weights, bias } = regressionData({ n: 2000, features: 3, noise: 0.1, seed: 1 });
    expect(x.shape).toEqual([2000, 3]);
    expect(y.shape).toEqual([2000, 1]);
    let sq = 0;
    for (let i = 0; i < 2000; i++) {
      let p = bias;
      for (let f = 0; f < 3; f++) {
        const v = x.data[i * 3 + f]!;
        expect(v >= -1 && v < 1).toBe(true);
        p += v * weights[f]!;
      }
      sq += (y.data[i]! - p) ** 2;
    }
    expect(Math.sqrt(sq / 2000)).toBeGreaterThan(0.09); // residual std ≈ noise
    expect(Math.sqrt(sq / 2000)).toBeLessThan(0.11);
    expect(regressionData({ n: 5, seed: 1 }).x.toArray()).toEqual(regressionData({ n: 5, seed: 1 }).x.toArray());
    expect(regressionData({ n: 0 }).x.shape).toEqual([0, 3]);
    expect(() => regressionData({ n: 1, noise: -1 })).toThrow(/regressionData: need integer n >= 0/);
  });
});
