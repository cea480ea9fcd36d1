import { describe, expect, it } from "vitest";
import { Generator, argmax, argmin, randn, tensor, zeros } from "../../index.js";
import { forEachBackend } from "../../../test/utils/backends.js";

// Every test below runs once per registered backend (js reference, wasm).
forEachBackend(() => {
  /** Index of the first maximum (NaN counts as the maximum) of v, the slow obvious way. */
  function refArg(v: number[], sign: 1 | -1): number {
    const nan = v.findIndex(Number.isNaN);
    if (nan >= 0) return nan;
    const best = sign === 1 ? Math.max(...v) : Math.min(...v);
    return v.indexOf(best);
  }

  describe("argmax / argmin", () => {
    it("match a reference along every axis, as int32", () => {
      const x = randn([3, 4, 5], new Generator(3));
      const [A, B, C] = x.shape as [number, number, number];
      const at = (i: number, j: number, k: number): number => x.data[(i * B + j) * C + k]!;
      const r = argmax(x, 1);
      expect(r.dtype).toBe("int32");
      expect(r.shape).toEqual([A, C]);
      for (let i = 0; i < A; i++) {
        for (let k = 0; k < C; k++) {
          const col = Array.from({ length: B }, (_, j) => at(i, j, k));
          expect(r.data[i * C + k]).toBe(refArg(col, 1));
          expect(argmin(x, -2).data[i * C + k]).toBe(refArg(col, -1));
        }
      }
      expect(argmax(x, 2, true).shape).toEqual([A, B, 1]);
      expect(argmax(x, 0).shape).toEqual([B, C]);
    });

    it("flattens when the axis is undefined", () => {
      const x = tensor([[1, 9], [9, 3]]);
      expect(argmax(x).shape).toEqual([]);
      expect(argmax(x).item()).toBe(1);
      expect(argmin(x).item()).toBe(0);
      expect(argmax(x, undefined, true).shape).toEqual([1, 1]);
    });

    it("takes the first occurrence on ties and the first NaN as the maximum", () => {
      expect(argmax(tensor([2, 5, 5, 1])).item()).toBe(1);
      expect(argmin(tensor([2, 1, 5, 1])).item()).toBe(1);
      expect(argmax(tensor([[1, NaN, 3, NaN], [NaN, 0, 0, 0]]), 1).toArray()).toEqual([1, 0]);
      expect(argmin(tensor([1, -Infinity, NaN])).item()).toBe(2);
      expect(argmax(tensor([-Infinity, -Infinity])).item()).toBe(0);
    });

    it("handles rank 0, size-1 and int inputs", () => {
      expect(argmax(tensor(4)).item()).toBe(0);
      expect(argmax(tensor(4), 0).shape).toEqual([]);
      expect(argmax(tensor([[3], [4]]), 1).toArray()).toEqual([0, 0]);
      expect(argmax(tensor([3, 7, 7], undefined, "int32")).item()).toBe(1);
      expect(argmax(zeros([0, 3]), 1).shape).toEqual([0]);
    });

    it("rejects empty reductions and bad axes", () => {
      expect(() => argmax(zeros([0]))).toThrow("argmax: cannot take the argmax of an empty reduction (x: [0], axis: all)");
      expect(() => argmin(zeros([2, 0]), 1)).toThrow("argmin: cannot take the argmin of an empty reduction (x: [2,0], axis: 1)");
      expect(() => argmax(zeros([2, 3]), 2)).toThrow("argmax: axis 2 is out of range for dimension count 2 of a tensor with shape [2,3]");
      expect(() => argmax(tensor(1), 1)).toThrow("argmax: axis 1 is out of range for a rank-0 tensor");
    });
  });
});
