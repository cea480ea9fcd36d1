import { describe, expect, it } from "vitest";
import { Generator, mean, randn, tensor, zeros } from "../../index.js";
import { refReduce } from "../../../test/utils/reduce.js";
import { forEachBackend } from "../../../test/utils/backends.js";

// Every test below runs once per registered backend (js reference, wasm).
forEachBackend(() => {
  const refMean = (v: number[]): number => v.reduce((s, x) => s + x, 0) / v.length;

  describe("mean", () => {
    const x = randn([3, 4, 5], new Generator(5));

    it.each([[[0]], [[2]], [[0, 2]], [[0, 1, 2]]])("matches a float64 reference over %j", (axes: number[]) => {
      expect(mean(x, axes)).toBeAllclose(refReduce(x.shape, x.data, axes, refMean));
      expect(mean(x, axes, true).shape).toEqual(x.shape.map((d, i) => (axes.includes(i) ? 1 : d)));
    });

    it("reduces everything by default; int and bool inputs give float32", () => {
      expect(mean(x).shape).toEqual([]);
      expect(mean(x)).toBeAllclose([refMean([...x.data])]);
      const i = mean(tensor([1, 2], undefined, "int32"));
      expect(i.dtype).toBe("float32");
      expect(i.item()).toBe(1.5);
      expect(mean(tensor([true, false, false, true])).item()).toBe(0.5);
      expect(mean(tensor(new Float64Array([1, 2]), [2])).dtype).toBe("float64");
    });

    it("handles rank 0, NaN and empty reductions (NaN like torch)", () => {
      expect(mean(tensor(4)).item()).toBe(4);
      expect(mean(tensor([1, NaN])).item()).toBeNaN();
      expect(mean(zeros([2, 0]), 1).toArray()).toEqual([NaN, NaN]);
    });

    it("rejects bad axes", () => {
      expect(() => mean(x, 5)).toThrow("mean: axis 5 is out of range for dimension count 3 of a tensor with shape [3,4,5]");
    });
  });
});
