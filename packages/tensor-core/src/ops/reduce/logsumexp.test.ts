import { describe, expect, it } from "vitest";
import { Generator, logSumExp, randn, tensor, zeros } from "../../index.js";
import { refReduce } from "../../../test/utils/reduce.js";
import { forEachBackend } from "../../../test/utils/backends.js";

// Every test below runs once per registered backend (js reference, wasm).
forEachBackend(() => {
  const refLse = (v: number[]): number => {
    const m = Math.max(...v);
    return m + Math.log(v.reduce((s, x) => s + Math.exp(x - m), 0));
  };

  describe("logSumExp", () => {
    const x = randn([3, 4, 5], new Generator(7));

    it.each([[[0]], [[2]], [[1, 2]], [[0, 2]], [[0, 1, 2]]])("matches a float64 reference over %j", (axes: number[]) => {
      const y = logSumExp(x, axes);
      expect(y.shape).toEqual(x.shape.filter((_, d) => !axes.includes(d)));
      expect(y).toBeAllclose(refReduce(x.shape, x.data, axes, refLse));
      expect(logSumExp(x, axes, true).shape).toEqual(x.shape.map((d, i) => (axes.includes(i) ? 1 : d)));
    });

    it("is stable for ±1e4 and handles -Infinity rows like torch", () => {
      const t = tensor([[1e4, 1e4], [-1e4, -1e4], [0, -Infinity], [-Infinity, -Infinity], [Infinity, 0], [NaN, 0]]);
      const y = logSumExp(t, 1);
      expect(y.shape).toEqual([6]);
      expect(y).toBeAllclose([1e4 + Math.LN2, -1e4 + Math.LN2, 0, -Infinity, Infinity, NaN]);
    });

    it("handles rank 0, size-0 and defaults to all axes", () => {
      expect(logSumExp(tensor(2)).item()).toBeCloseTo(2, 6);
      expect(logSumExp(zeros([2, 0]), 1).toArray()).toEqual([-Infinity, -Infinity]);
      expect(logSumExp(x).shape).toEqual([]);
      expect(logSumExp(x)).toBeAllclose([refLse([...x.data])]);
    });

    it("rejects bad axes", () => {
      expect(() => logSumExp(x, -4)).toThrow("logSumExp: axis -4 is out of range for dimension count 3 of a tensor with shape [3,4,5]");
    });
  });
});
