import { describe, expect, it } from "vitest";
import { Generator, arange, concat, narrow, pad, randn, reshape, slice, stack, tensor, zeros, type Tensor } from "../../index.js";
import { refMap } from "../../../test/utils/movement.js";
import { forEachBackend } from "../../../test/utils/backends.js";

// Every test below runs once per registered backend (js reference, wasm).
forEachBackend(() => {
  /** Python's slice.indices for a positive step: the selected positions of a dimension. */
  function pyRange(dim: number, start: number | null, end: number | null, step: number): number[] {
    const norm = (v: number | null, fb: number): number => (v === null ? fb : Math.min(Math.max(v < 0 ? v + dim : v, 0), dim));
    const out: number[] = [];
    for (let i = norm(start, 0); i < norm(end, dim); i += step) out.push(i);
    return out;
  }

  describe("slice", () => {
    const x = randn([5, 6, 7], new Generator(8));

    it.each([
      [[1, 2], [4, 5], undefined],
      [[null, -3], [null, null], undefined],
      [[-100, 1, 2], [100, -1, 7], [1, 2, 3]],
      [[0], [5], [2]],
      [[3], [1], undefined], // end before start: empty
      [[null, null, 6], [null, null, 100], [1, 1, 1]],
    ] as [(number | null)[], (number | null)[], number[] | undefined][])("starts %j ends %j steps %j behaves like Python", (starts, ends, steps) => {
      const ranges = x.shape.map((d, k) => pyRange(d, starts[k] ?? null, ends[k] ?? null, steps?.[k] ?? 1));
      const y = slice(x, starts, ends, steps);
      const shape = ranges.map((r) => r.length);
      expect(y.shape).toEqual(shape);
      expect(y).toBeAllclose(refMap(shape, x.data, x.shape, (idx) => idx.map((v, k) => ranges[k]![v]!)), { rtol: 0, atol: 0 });
    });

    it("defaults ends to the end and keeps dtypes", () => {
      expect(slice(arange(10), [7]).toArray()).toEqual([7, 8, 9]);
      expect(slice(arange(10), [1], [8], [3]).toArray()).toEqual([1, 4, 7]);
      expect(slice(arange(10), [null], [null], [4]).dtype).toBe("int32");
      expect(slice(tensor([true, false, true]), [1]).toArray()).toEqual([false, true]);
      expect(slice(tensor(3), []).item()).toBe(3);
      expect(slice(zeros([0, 3]), [0], [0]).shape).toEqual([0, 3]);
    });

    it("explains bad arguments", () => {
      expect(() => slice(zeros([2]), [0, 0])).toThrow("slice: 2 dimensions given for x: [2] (starts: [0,0], ends: [], steps: [])");
      expect(() => slice(zeros([4]), [0], [4], [0])).toThrow("slice: steps must be positive integers (x: [4], starts: [0], ends: [4], steps: [0])");
      expect(() => slice(zeros([4]), [0.5])).toThrow("slice: bounds must be integers or null (x: [4], starts: [0.5], ends: [], steps: [])");
    });
  });

  describe("narrow", () => {
    it("takes length elements from start", () => {
      const x = reshape(arange(12), [3, 4]);
      expect(narrow(x, 1, 1, 2).toArray()).toEqual([[1, 2], [5, 6], [9, 10]]);
      expect(narrow(x, 0, -1, 1).toArray()).toEqual([[8, 9, 10, 11]]);
      expect(narrow(x, -1, 4, 0).shape).toEqual([3, 0]);
    });

    it("explains ranges that do not fit", () => {
      expect(() => narrow(zeros([3, 4]), 1, 3, 2)).toThrow("narrow: start 3 and length 2 do not fit axis 1 of size 4 (x: [3,4])");
      expect(() => narrow(zeros([3, 4]), 2, 0, 1)).toThrow("narrow: axis 2 is out of range for dimension count 2");
    });
  });

  it("bounds given as numbers (not arrays) name slice and show the array form (was 'starts.join is not a function')", () => {
    const x = zeros([2, 3]);
    expect(() => slice(x, 1 as unknown as number[], [2])).toThrow("slice: expected 'starts' as an array with one entry per leading dimension, like slice(x, [0, 1], [2, 3]), got number 1 (one axis from a start: narrow(x, axis, start, length))");
    expect(() => slice(x, [0], 2 as unknown as number[])).toThrow("slice: expected 'ends' as an array with one entry per leading dimension, like slice(x, [0, 1], [2, 3]), got number 2");
    expect(() => slice(x, [0], [2], 1 as unknown as number[])).toThrow(/^slice: expected 'steps' as an array/);
  });

  it("concat / stack given tensors as separate arguments (not an array) say so (was 'expected at least one tensor, got an empty list')", () => {
    const a = zeros([2, 3]);
    expect(() => concat(a as unknown as Tensor[], 1)).toThrow("concat: expected the tensors as an array, like concat([a, b], axis), got a Tensor");
    expect(() => stack(a as unknown as Tensor[])).toThrow("stack: expected the tensors as an array, like stack([a, b], axis), got a Tensor");
  });

  it("pad given PyTorch's flat F.pad list (was 'p.join is not a function') shows the pairs form", () => {
    expect(() => pad(zeros([2, 3]), [1, 1] as unknown as [number, number][])).toThrow("pad: expected 'paddings' as [before, after] pairs for the trailing dimensions of x: [2,3], like [[0, 0], [1, 1]], got an array [1, 1] (PyTorch's flat F.pad list [left, right, top, bottom, …] counts from the last dimension; here [[top, bottom], [left, right]] pads the last two)");
    expect(pad(zeros([2, 3]), [[1, 1]]).shape).toEqual([2, 5]);
  });
});
