import { describe, expect, it } from "vitest";
import { greater, reluGrad, tensor, where, zeros } from "../../index.js";
import { uniform } from "../../../test/utils/elementwise.js";
import { forEachBackend } from "../../../test/utils/backends.js";

// Every test below runs once per registered backend (js reference, wasm).
forEachBackend(() => {
  describe("reluGrad", () => {
    it("equals its composition where(greater(x, 0), g, 0) at odd sizes", () => {
      for (const shape of [[1], [3], [17], [2, 129], [2, 3, 5]]) {
        const n = shape.reduce((p, d) => p * d, 1);
        const g = tensor(uniform(n, 1), shape, "float32");
        const x = tensor(uniform(n, 2), shape, "float32");
        const out = reluGrad(g, x);
        expect(out.shape).toEqual(shape);
        expect(out.dtype).toBe("float32");
        expect(out).toBeAllclose(where(greater(x, 0), g, 0).data, { rtol: 0, atol: 0 });
      }
    });

    it("passes g only where x > 0 (0, -0, NaN and -Infinity block; float64 kept)", () => {
      const g = tensor([1, 2, 3, 4, 5, 6], [6], "float64");
      const x = tensor([-1, 0, -0, Number.NaN, Number.NEGATIVE_INFINITY, 1e4], [6], "float32");
      const out = reluGrad(g, x);
      expect(out.dtype).toBe("float64");
      expect([...out.data]).toEqual([0, 0, 0, 0, 0, 6]);
    });

    it("handles rank 0 and size 0", () => {
      expect(reluGrad(tensor(2), tensor(3)).item()).toBe(2);
      expect(reluGrad(zeros([0, 3]), zeros([0, 3])).shape).toEqual([0, 3]);
    });

    it("validates dtypes and shapes", () => {
      expect(() => reluGrad(tensor([1], [1], "int32"), tensor([1]))).toThrow(/reluGrad: g must be a float tensor, got dtype 'int32' \(g: \[1\], x: \[1\]\)/);
      expect(() => reluGrad(zeros([2, 3]), zeros([3]))).toThrow(/reluGrad: g and x must have one shape, got g: \[2,3\] and x: \[3\]/);
    });
  });
});
