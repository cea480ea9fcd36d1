import { describe, expect, it } from "vitest";
import { Generator, randn, reshape, arange, sum, tensor, zeros } from "../../index.js";
import { refReduce, refSum } from "../../../test/utils/reduce.js";
import { forEachBackend } from "../../../test/utils/backends.js";

// Every test below runs once per registered backend (js reference, wasm).
forEachBackend(() => {
  describe("sum", () => {
    const x = randn([3, 4, 5, 2], new Generator(1));

    it.each([
      [[0]], [[1]], [[3]], [[1, 2]], [[0, 1, 2, 3]], [[0, 2]], [[1, 3]], [[0, 3]], [[0, 1, 3]], [[]],
    ])("reduces axes %j with and without keepDims", (axes: number[]) => {
      const expected = refReduce(x.shape, x.data, axes, refSum);
      const r = sum(x, axes);
      expect(r.shape).toEqual(x.shape.filter((_, d) => !axes.includes(d)));
      expect(r.dtype).toBe("float32");
      expect(r).toBeAllclose(expected);
      const k = sum(x, axes, true);
      expect(k.shape).toEqual(x.shape.map((d, i) => (axes.includes(i) ? 1 : d)));
      expect(k).toBeAllclose(expected);
    });

    it("sums everything by default, accepts negative axes and keeps float64", () => {
      expect(sum(x).shape).toEqual([]);
      expect(sum(x)).toBeAllclose([refSum([...x.data])]);
      expect(sum(x, [-1, -3])).toBeAllclose(refReduce(x.shape, x.data, [1, 3], refSum));
      const d = tensor(new Float64Array([0.1, 0.2]), [2]);
      expect(sum(d).dtype).toBe("float64");
      expect(sum(d).item()).toBe(0.1 + 0.2);
    });

    it("accumulates in float64 (1 + many tiny values)", () => {
      const data = new Float32Array(100001).fill(1e-4);
      data[0] = 1;
      expect(sum(tensor(data)).item()).toBeCloseTo(1 + 10, 4);
    });

    it("gives int32 for int32 and bool inputs", () => {
      const i = reshape(arange(6), [2, 3]);
      expect(sum(i, 1).dtype).toBe("int32");
      expect(sum(i, 1).toArray()).toEqual([3, 12]);
      const b = tensor([[true, false, true], [true, true, true]]);
      expect(sum(b, 1).dtype).toBe("int32");
      expect(sum(b, 1).toArray()).toEqual([2, 3]);
    });

    it("handles rank 0, size-1 and size-0 dimensions", () => {
      const s = tensor(5);
      expect(sum(s).shape).toEqual([]);
      expect(sum(s).item()).toBe(5);
      expect(sum(s, 0).item()).toBe(5);
      expect(sum(s, -1, true).shape).toEqual([]);
      expect(sum(zeros([2, 0, 3]), 1).toArray()).toEqual([[0, 0, 0], [0, 0, 0]]);
      expect(sum(zeros([2, 0, 3]), [0, 2]).shape).toEqual([0]);
      expect(sum(tensor([[1], [2]]), 1).toArray()).toEqual([1, 2]);
    });

    it("propagates NaN and Infinity", () => {
      expect(sum(tensor([[1, NaN], [1, 2]]), 1).toArray()).toEqual([NaN, 3]);
      expect(sum(tensor([Infinity, -Infinity])).item()).toBeNaN();
    });

    it("rejects bad axes with the op name and shape", () => {
      expect(() => sum(x, 4)).toThrow("sum: axis 4 is out of range for dimension count 4 of a tensor with shape [3,4,5,2]");
      expect(() => sum(x, [1, -3])).toThrow("sum: axis 1 appears more than once in [1,-3]");
      expect(() => sum(tensor(1), 1)).toThrow("sum: axis 1 is out of range for a rank-0 tensor");
      expect(() => sum([1, 2] as never)).toThrow("sum: expected 'x' to be a Tensor, got an array (wrap it with tensor())");
    });
  });
});
