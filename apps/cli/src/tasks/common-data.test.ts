import { describe, expect, it } from "vitest";
import { RuntimeError, UsageError } from "../errors.js";
import { chunks, limited, parseNumbers, percent, quoted, shuffledBatches, vocabField } from "./common-data.js";
import { lengthOrder, padIds } from "./common-seq.js";

describe("common data helpers", () => {
  it("shuffledBatches covers 0..n-1 once, depends only on (seed, epoch)", () => {
    const a = shuffledBatches(10, 4, 7, 1);
    expect(a.map((b) => b.length)).toEqual([4, 4, 2]);
    expect(a.flat().sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(shuffledBatches(10, 4, 7, 1)).toEqual(a);
    expect(shuffledBatches(10, 4, 7, 2)).not.toEqual(a);
    expect(shuffledBatches(10, 4, 8, 1)).not.toEqual(a);
  });

  it("limited, chunks, percent", () => {
    expect(limited([1, 2, 3], 0)).toEqual([1, 2, 3]);
    expect(limited([1, 2, 3], 2)).toEqual([1, 2]);
    expect(limited([1, 2, 3], 9)).toEqual([1, 2, 3]);
    expect(chunks([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunks([], 2)).toEqual([]);
    expect(percent(0.3745)).toBe("37.5%");
  });

  it("parseNumbers reads spaces and commas, and names the bad token", () => {
    expect(parseNumbers("seed", " 1, -2.5 3e1 ")).toEqual([1, -2.5, 30]);
    expect(parseNumbers("seed", "")).toEqual([]);
    expect(() => parseNumbers("seed", "1 two")).toThrow(UsageError);
    expect(() => parseNumbers("seed", "1 two")).toThrow("seed: 'two' in '1 two' is not a number");
    const long = Array.from({ length: 30 }, () => "400").join(" ") + " x";
    expect(() => parseNumbers("forecast", long)).toThrow(`forecast: 'x' in '${long.slice(0, 40)}…' (${long.length} characters) is not a number`);
    expect(() => parseNumbers("forecast", "400 0x1A")).toThrow("forecast: '0x1A' in '400 0x1A' is not a number"); // Number() would read 26
  });

  it("vocabField reads a saved entry or fails with a runtime error naming the task and key", () => {
    expect(vocabField<number>("seed", { features: 8 }, "features")).toBe(8);
    expect(() => vocabField("seed", {}, "features")).toThrow(RuntimeError);
    expect(() => vocabField("seed", null, "features")).toThrow("seed: vocab.json has no 'features' entry");
  });
});

describe("common sequence helpers", () => {
  it("padIds pads at the end with 0 and marks padding TRUE", () => {
    const { ids, padding } = padIds([[5, 6, 7], [8]]);
    expect(ids.shape).toEqual([2, 3]);
    expect(Array.from(ids.data)).toEqual([5, 6, 7, 8, 0, 0]);
    expect(Array.from(padding.data)).toEqual([0, 0, 0, 0, 1, 1]);
  });

  it("lengthOrder sorts by length, ties by index", () => {
    expect(lengthOrder(4, (i) => [3, 1, 3, 0][i]!)).toEqual([3, 1, 0, 2]);
  });

  it("quoted keeps an error on one readable line: whole up to 60 characters, else 40, … and the length", () => {
    expect(quoted("x".repeat(60))).toBe(`'${"x".repeat(60)}'`);
    expect(quoted("é".repeat(5000))).toBe(`'${"é".repeat(40)}…' (5000 characters)`);
  });
});
