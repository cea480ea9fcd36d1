import { describe, expect, it } from "vitest";
import { logicalAnd, logicalNot, logicalOr, logicalXor, tensor } from "../../index.js";
import { forEachBackend } from "../../../test/utils/backends.js";

// Every test below runs once per registered backend (js reference, wasm).
forEachBackend(() => {
  describe("logical ops", () => {
    const a = tensor([true, true, false, false]);
    const b = tensor([true, false, true, false]);

    it("compute the truth tables on bool tensors", () => {
      expect(logicalAnd(a, b).toArray()).toEqual([true, false, false, false]);
      expect(logicalOr(a, b).toArray()).toEqual([true, true, true, false]);
      expect(logicalXor(a, b).toArray()).toEqual([false, true, true, false]);
      expect(logicalNot(a).toArray()).toEqual([false, false, true, true]);
      expect(logicalAnd(a, b).dtype).toBe("bool");
    });

    it("treat non-zero (and NaN) as true for other dtypes, as torch.logical_*", () => {
      const x = tensor([0, 2, NaN, -0]);
      expect(logicalNot(x).toArray()).toEqual([true, false, false, true]);
      expect(logicalAnd(x, tensor([3, 4, 5, 6], undefined, "int32")).toArray()).toEqual([false, true, true, false]);
      expect(logicalOr(x, 0).toArray()).toEqual([false, true, true, false]);
      expect(logicalXor(x, true).toArray()).toEqual([true, false, false, true]);
    });

    it("broadcast, including rank 0 and size 0", () => {
      const col = tensor([[true], [false]]);
      expect(logicalAnd(col, tensor([true, false, true])).toArray()).toEqual([[true, false, true], [false, false, false]]);
      expect(logicalOr(tensor(true), tensor(false)).shape).toEqual([]);
      expect(logicalAnd(tensor(new Uint8Array(0), [0]), true).shape).toEqual([0]);
      expect(logicalNot(tensor(new Uint8Array(0), [2, 0])).shape).toEqual([2, 0]);
    });

    it("name the op and shapes in errors", () => {
      expect(() => logicalXor(tensor([true, false]), tensor([true, false, true]))).toThrow("logicalXor: shapes [2] and [3] cannot be broadcast together");
      expect(() => logicalNot(true as unknown as never)).toThrow("logicalNot: expected 'x' to be a Tensor, got boolean");
    });
  });
});
