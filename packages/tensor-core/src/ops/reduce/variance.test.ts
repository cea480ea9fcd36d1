import { describe, expect, it } from "vitest";
import { Generator, randn, std, tensor, variance } from "../../index.js";
import { refReduce } from "../../../test/utils/reduce.js";
import { forEachBackend } from "../../../test/utils/backends.js";

// Every test below runs once per registered backend (js reference, wasm).
forEachBackend(() => {
  function refVar(correction: number): (v: number[]) => number {
    return (v) => {
      const m = v.reduce((s, x) => s + x, 0) / v.length;
      return v.reduce((s, x) => s + (x - m) ** 2, 0) / (v.length - correction);
    };
  }

  describe("variance / std", () => {
    const x = randn([4, 3, 6], new Generator(6));

    it.each([[[0]], [[2]], [[0, 2]], [[0, 1, 2]]])("match float64 references over %j (correction 1 and 0)", (axes: number[]) => {
      expect(variance(x, axes)).toBeAllclose(refReduce(x.shape, x.data, axes, refVar(1)));
      expect(variance(x, axes, { correction: 0 })).toBeAllclose(refReduce(x.shape, x.data, axes, refVar(0)));
      expect(std(x, axes)).toBeAllclose(refReduce(x.shape, x.data, axes, (v) => Math.sqrt(refVar(1)(v))));
      expect(std(x, axes, { keepDims: true }).shape).toEqual(x.shape.map((d, i) => (axes.includes(i) ? 1 : d)));
    });

    it("is accurate for a large offset (two-pass)", () => {
      const t = tensor(new Float64Array([1e8 + 1, 1e8 + 2, 1e8 + 3]), [3]);
      expect(variance(t).item()).toBeCloseTo(1, 10);
    });

    it("follows torch for single elements, rank 0 and int inputs", () => {
      expect(variance(tensor([3])).item()).toBeNaN();
      expect(variance(tensor([3]), undefined, { correction: 0 }).item()).toBe(0);
      expect(std(tensor(2), undefined, { correction: 0 }).item()).toBe(0);
      const i = variance(tensor([1, 2, 3, 4], undefined, "int32"));
      expect(i.dtype).toBe("float32");
      expect(i).toBeAllclose([5 / 3]);
    });

    it("rejects bad axes", () => {
      expect(() => variance(x, [0, 0])).toThrow("variance: axis 0 appears more than once in [0,0]");
    });
  });
});
