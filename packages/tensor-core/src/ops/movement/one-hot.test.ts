import { describe, expect, it } from "vitest";
import { oneHot, tensor } from "../../index.js";
import { forEachBackend } from "../../../test/utils/backends.js";

// Every test below runs once per registered backend (js reference, wasm).
forEachBackend(() => {
  describe("oneHot", () => {
    it("encodes any index shape, float32 by default", () => {
      const y = oneHot(tensor([0, 2], undefined, "int32"), 3);
      expect(y.dtype).toBe("float32");
      expect(y.toArray()).toEqual([[1, 0, 0], [0, 0, 1]]);
      const z = oneHot(tensor([[1], [0]], undefined, "int32"), 2, "int32");
      expect(z.shape).toEqual([2, 1, 2]);
      expect(z.dtype).toBe("int32");
      expect(z.toArray()).toEqual([[[0, 1]], [[1, 0]]]);
      expect(oneHot(tensor(1, [], "int32"), 2, "bool").toArray()).toEqual([false, true]);
      expect(oneHot(tensor([], [0], "int32"), 4).shape).toEqual([0, 4]);
    });

    it("explains bad indices and class counts", () => {
      expect(() => oneHot(tensor([0, 3], undefined, "int32"), 3)).toThrow("oneHot: index 3 is out of range for numClasses 3 (indices: [2])");
      expect(() => oneHot(tensor([-1], undefined, "int32"), 3)).toThrow("oneHot: index -1 is out of range for numClasses 3 (indices: [1])");
      expect(() => oneHot(tensor([0]), 3)).toThrow("oneHot: indices must be int32, got 'float32' (indices: [1])");
      expect(() => oneHot(tensor([0], undefined, "int32"), 1.5)).toThrow("oneHot: numClasses must be a non-negative integer, got 1.5 (indices: [1])");
    });
  });
});
