import { describe, expect, it } from "vitest";
import { clamp, tensor, type Tensor } from "../../index.js";
import { uniform } from "../../../test/utils/elementwise.js";
import { forEachBackend } from "../../../test/utils/backends.js";

// Every test below runs once per registered backend (js reference, wasm).
forEachBackend(() => {
  const ref = (x: number, lo: number | null, hi: number | null): number => {
    let v = x;
    if (lo !== null) v = Math.max(v, lo);
    if (hi !== null) v = Math.min(v, hi);
    return v;
  };

  describe("clamp", () => {
    it("clamps to [min, max] with either bound optional", () => {
      const v = uniform(12, 3);
      const x = tensor(v, [3, 4], "float32");
      for (const [lo, hi] of [[-1, 1], [0, null], [null, 0.5], [-0.5, undefined]] as const) {
        const out = clamp(x, lo, hi);
        expect(out.shape).toEqual([3, 4]);
        expect(out.dtype).toBe("float32");
        expect(out).toBeAllclose(Array.from(x.data, (e) => ref(e, lo, hi ?? null)));
      }
      expect(clamp(tensor(v, [12], "float64"), 0, 1).dtype).toBe("float64");
    });

    it("follows torch on NaN, infinities, min > max and ±1e4", () => {
      expect(clamp(tensor([NaN, -Infinity, Infinity, 1e4, -1e4]), -1, 1)).toBeAllclose([NaN, -1, 1, 1, -1]);
      expect(clamp(tensor([-5, 0, 5]), 2, 1)).toBeAllclose([1, 1, 1]);
      expect(clamp(tensor([1, 2]), NaN, 1)).toBeAllclose([NaN, NaN]);
    });

    it("keeps int32 with integer bounds and gives float32 otherwise", () => {
      const i = tensor([-3, 0, 3], undefined, "int32");
      expect(clamp(i, -1, 1).dtype).toBe("int32");
      expect(clamp(i, -1, 1).toArray()).toEqual([-1, 0, 1]);
      expect(clamp(i, -0.5, null).dtype).toBe("float32");
      expect(clamp(i, -0.5, null).toArray()).toEqual([-0.5, 0, 3]);
      expect(clamp(tensor([true, false]), 0, 0).toArray()).toEqual([0, 0]);
    });

    it("handles rank 0 and size 0", () => {
      expect(clamp(tensor(5), 0, 1).item()).toBe(1);
      expect(clamp(tensor(new Float32Array(0), [0, 2]), 0, 1).shape).toEqual([0, 2]);
    });

    it("errors name the op and the problem", () => {
      expect(() => clamp(tensor([1, 2]))).toThrow("clamp: at least one of min and max must be given (x shape [2])");
      expect(() => clamp(tensor([1]), "0" as unknown as number)).toThrow("clamp: min must be a number, null or undefined, got string");
      expect(() => clamp([1] as unknown as Tensor, 0)).toThrow(/^clamp: expected 'x' to be a Tensor/);
    });
  });
});
