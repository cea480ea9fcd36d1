import { describe, expect, it } from "vitest";
import { cast, tensor, type DType } from "../../index.js";
import { forEachBackend } from "../../../test/utils/backends.js";

// Every test below runs once per registered backend (js reference, wasm).
forEachBackend(() => {
  describe("cast", () => {
    it("converts between every pair of dtypes and always copies", () => {
      const x = tensor([[1.5, -2.5], [0, 3]]);
      const expected: Record<DType, unknown> = {
        float32: [[1.5, -2.5], [0, 3]],
        float64: [[1.5, -2.5], [0, 3]],
        int32: [[1, -2], [0, 3]],
        bool: [[true, true], [false, true]],
      };
      for (const dtype of ["float32", "float64", "int32", "bool"] as const) {
        const out = cast(x, dtype);
        expect(out.dtype).toBe(dtype);
        expect(out.shape).toEqual([2, 2]);
        expect(out.toArray()).toEqual(expected[dtype]);
        expect(cast(out, "float32").toArray()).toEqual(dtype === "bool" ? [[1, 1], [0, 1]] : dtype === "int32" ? [[1, -2], [0, 3]] : x.toArray());
      }
      const same = cast(x, "float32");
      expect(same).not.toBe(x);
      expect(same.data).not.toBe(x.data);
    });

    it("truncates toward zero, rounds float64 to float32, makes NaN true", () => {
      expect(cast(tensor([1.9, -1.9, 1e4, -1e4]), "int32").toArray()).toEqual([1, -1, 10000, -10000]);
      expect(cast(tensor([0.1], undefined, "float64"), "float32").data[0]).toBe(Math.fround(0.1));
      expect(cast(tensor([NaN, -0, Infinity]), "bool").toArray()).toEqual([true, false, true]);
      expect(cast(tensor([NaN, Infinity], undefined, "float32"), "float64").data[1]).toBe(Infinity);
    });

    it("handles rank 0 and size 0, and rejects unknown dtypes", () => {
      expect(cast(tensor(2.5), "int32").item()).toBe(2);
      expect(cast(tensor(new Float32Array(0), [0, 3]), "bool").shape).toEqual([0, 3]);
      expect(() => cast(tensor([1, 2]), "int64" as DType)).toThrow("cast: unknown dtype 'int64' for x of shape [2] (expected one of float32, float64, int32, bool)");
    });
  });
});
