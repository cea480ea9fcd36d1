import { describe, expect, it } from "vitest";
import { Generator, arange, max, min, randn, reshape, tensor, zeros } from "../../index.js";
import { refMax, refMin, refReduce } from "../../../test/utils/reduce.js";
import { forEachBackend } from "../../../test/utils/backends.js";

// Every test below runs once per registered backend (js reference, wasm).
forEachBackend(() => {
  describe("max / min", () => {
    const x = randn([4, 3, 5], new Generator(2));

    it.each([[[0]], [[1]], [[2]], [[0, 1]], [[1, 2]], [[0, 2]], [[0, 1, 2]]])("reduce axes %j against a float64 reference", (axes: number[]) => {
      const mx = max(x, axes);
      expect(mx.shape).toEqual(x.shape.filter((_, d) => !axes.includes(d)));
      expect(mx).toBeAllclose(refReduce(x.shape, x.data, axes, refMax), { rtol: 0, atol: 0 });
      const mn = min(x, axes, true);
      expect(mn.shape).toEqual(x.shape.map((d, i) => (axes.includes(i) ? 1 : d)));
      expect(mn).toBeAllclose(refReduce(x.shape, x.data, axes, refMin), { rtol: 0, atol: 0 });
    });

    it("reduces all axes by default and accepts negative axes", () => {
      expect(max(x).shape).toEqual([]);
      expect(max(x).item()).toBe(Math.max(...x.data));
      expect(min(x, -1).toArray()).toEqual(min(x, 2).toArray());
    });

    it("keeps int32 and bool dtypes", () => {
      const i = reshape(arange(6), [2, 3]);
      expect(max(i, 0).dtype).toBe("int32");
      expect(max(i, 0).toArray()).toEqual([3, 4, 5]);
      const b = tensor([[true, false], [false, false]]);
      expect(max(b, 1).dtype).toBe("bool");
      expect(max(b, 1).toArray()).toEqual([true, false]);
      expect(min(b, 0).toArray()).toEqual([false, false]);
    });

    it("propagates NaN like torch.amax, wherever it sits", () => {
      const t = tensor([[NaN, 1, 2], [1, NaN, 0], [3, 2, NaN], [1, 2, 3]]);
      expect(max(t, 1).toArray()).toEqual([NaN, NaN, NaN, 3]);
      expect(min(t, 1).toArray()).toEqual([NaN, NaN, NaN, 1]);
      expect(max(t, 0).toArray()).toEqual([NaN, NaN, NaN]);
    });

    it("handles ±Infinity, rank 0 and size-1 dimensions", () => {
      expect(max(tensor([-Infinity, -Infinity])).item()).toBe(-Infinity);
      expect(min(tensor([Infinity, 1e4, -1e4])).item()).toBe(-1e4);
      expect(max(tensor(7)).item()).toBe(7);
      expect(max(tensor(7), 0, true).shape).toEqual([]);
      expect(max(tensor([[1, 2]]), 0).toArray()).toEqual([1, 2]);
      expect(max(zeros([0, 3]), 1).shape).toEqual([0]);
    });

    it("rejects empty reductions and bad axes", () => {
      expect(() => max(zeros([2, 0]), 1)).toThrow("max: cannot reduce over axis 1 of size 0 (x: [2,0], axes: [1])");
      expect(() => min(zeros([0]))).toThrow("min: cannot reduce over axis 0 of size 0 (x: [0], axes: [0])");
      expect(() => max(x, 3)).toThrow("max: axis 3 is out of range for dimension count 3 of a tensor with shape [4,3,5]");
    });
  });
});
