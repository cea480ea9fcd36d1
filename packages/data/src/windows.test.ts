import { describe, expect, it } from "vitest";
import { makeWindows } from "./windows.js";

describe("makeWindows", () => {
  const series = Array.from({ length: 10 }, (_, i) => i); // 0..9

  it("builds train windows inside the training part and test windows ending in the test part", () => {
    const s = makeWindows(series, { window: 3, horizon: 1, testFraction: 0.3, normalize: false });
    expect(s.splitIndex).toBe(7);
    expect(s.train.x.shape).toEqual([4, 3, 1]);
    expect(s.train.x.toArray()).toEqual([[[0], [1], [2]], [[1], [2], [3]], [[2], [3], [4]], [[3], [4], [5]]]);
    expect(s.train.y.toArray()).toEqual([[3], [4], [5], [6]]);
    expect(s.test.x.toArray()).toEqual([[[4], [5], [6]], [[5], [6], [7]], [[6], [7], [8]]]);
    expect(s.test.y.toArray()).toEqual([[7], [8], [9]]);
  });

  it("normalises with the training part's statistics only", () => {
    const s = makeWindows(series, { window: 2, horizon: 2, stride: 2, testFraction: 0.5 });
    // training part 0..4: mean 2, population std sqrt(2)
    expect(s.mean).toBe(2);
    expect(s.std).toBeCloseTo(Math.SQRT2, 12);
    expect(s.train.y.shape).toEqual([1, 2]);
    expect(Array.from(s.train.x.data)).toEqual([(0 - 2) / Math.SQRT2, (1 - 2) / Math.SQRT2].map(Math.fround));
    expect(s.denormalize(s.test.y.data[1]!)).toBeCloseTo(6, 5);
    expect(s.test.y.toArray()).toEqual([[5, 6], [7, 8]].map((r) => r.map((v) => Math.fround((v - 2) / Math.SQRT2))));
  });

  it("explains invalid settings", () => {
    expect(() => makeWindows(series, { window: 0 })).toThrow("makeWindows: window must be a positive integer (window 0, horizon 1, stride 1, testFraction 0.2, series length 10)");
    expect(() => makeWindows(series, { window: 8 })).toThrow(/the training part \(8 values\) is shorter than one window plus horizon/);
    expect(() => makeWindows([1, Number.NaN, 3, 4], { window: 1, testFraction: 0 })).toThrow(/value NaN at index 1 is not finite/);
    expect(() => makeWindows(series, { window: 2, testFraction: 1 })).toThrow(/testFraction must be in \[0, 1\)/);
  });
});
