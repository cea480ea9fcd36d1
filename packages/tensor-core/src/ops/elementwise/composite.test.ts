import { describe, expect, it } from "vitest";
import { reciprocal, square, tensor } from "../../index.js";
import { forEachBackend } from "../../../test/utils/backends.js";

// Every test below runs once per registered backend (js reference, wasm).
forEachBackend(() => {
  describe("square and reciprocal", () => {
    it("square keeps dtype and shape", () => {
      const x = tensor([[-3, 0.5], [NaN, -Infinity]]);
      expect(square(x).shape).toEqual([2, 2]);
      expect(square(x)).toBeAllclose([9, 0.25, NaN, Infinity]);
      expect(square(tensor([-3, 4], undefined, "int32")).toArray()).toEqual([9, 16]);
      expect(square(tensor([-3], undefined, "int32")).dtype).toBe("int32");
      expect(square(tensor([1e4, 1e20]))).toBeAllclose([1e8, Infinity]); // float32 overflow
    });

    it("reciprocal is true division (int32 gives float32)", () => {
      expect(reciprocal(tensor([2, -4, 0, -0, Infinity]))).toBeAllclose([0.5, -0.25, Infinity, -Infinity, 0]);
      const r = reciprocal(tensor([2, 4], undefined, "int32"));
      expect(r.dtype).toBe("float32");
      expect(r.toArray()).toEqual([0.5, 0.25]);
      expect(reciprocal(tensor(4, undefined, "float64")).item()).toBe(0.25);
    });

    it("name themselves in errors", () => {
      expect(() => square(2 as never)).toThrow("square: expected 'x' to be a Tensor, got number");
      expect(() => reciprocal(null as never)).toThrow("reciprocal: expected 'x' to be a Tensor, got null");
    });
  });
});
