import { describe, expect, it } from "vitest";
import { DIGIT_COUNTS } from "../digits/split.js";
import { loadDigits } from "./digits.js";

describe("loadDigits", () => {
  const { train, valid, test } = loadDigits();

  it("has the documented split counts: train 5,994 · valid 2,002 · test 2,004", () => {
    expect(train.images.shape).toEqual([5994, 1, 28, 28]);
    expect(valid.images.shape).toEqual([2002, 1, 28, 28]);
    expect(test.images.shape).toEqual([2004, 1, 28, 28]);
    expect(test.images.dtype).toBe("float32");
    const perClass = (labels: ArrayLike<number>): number[] => {
      const c = new Array<number>(10).fill(0);
      for (let i = 0; i < labels.length; i++) c[labels[i]!]!++;
      return c;
    };
    const all = [train, valid, test].map((p) => perClass(p.labels.data));
    expect(all[0]!.map((n, d) => n + all[1]![d]! + all[2]![d]!)).toEqual([...DIGIT_COUNTS]);
    expect(all[2]).toEqual(DIGIT_COUNTS.map((n) => Math.ceil(n / 5)));
    expect(all[1]).toEqual(DIGIT_COUNTS.map((n) => Math.ceil((n - 1) / 5)));
  });

  it("holds grey pixels in [0, 1] with a dark background", () => {
    const x = test.images.data;
    let min = Infinity, max = -Infinity, zeros = 0;
    for (let i = 0; i < x.length; i++) {
      min = Math.min(min, x[i]!);
      max = Math.max(max, x[i]!);
      if (x[i] === 0) zeros++;
    }
    expect([min, max]).toEqual([0, 1]);
    expect(zeros / x.length).toBeGreaterThan(0.7);
  });
});
