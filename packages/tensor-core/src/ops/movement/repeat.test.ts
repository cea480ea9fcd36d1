import { describe, expect, it } from "vitest";
import { Generator, randn, repeat, tensor, tile, zeros } from "../../index.js";
import { refMap } from "../../../test/utils/movement.js";
import { forEachBackend } from "../../../test/utils/backends.js";

// Every test below runs once per registered backend (js reference, wasm).
forEachBackend(() => {
  describe("repeat / tile", () => {
    it("tile every dimension like torch.Tensor.repeat", () => {
      expect(repeat(tensor([1, 2]), [2, 2]).toArray()).toEqual([[1, 2, 1, 2], [1, 2, 1, 2]]);
      const x = randn([2, 3], new Generator(16));
      const y = repeat(x, [2, 3, 2]);
      expect(y.shape).toEqual([2, 6, 6]);
      expect(y).toBeAllclose(refMap([2, 6, 6], x.data, [2, 3], ([, i, j]) => [i! % 2, j! % 3]), { rtol: 0, atol: 0 });
      expect(repeat(tensor(5), [3]).toArray()).toEqual([5, 5, 5]);
      expect(repeat(zeros([2]), [0]).shape).toEqual([0]);
    });

    it("tile pads short reps with leading 1s", () => {
      expect(tile(tensor([[1, 2]]), [2]).toArray()).toEqual([[1, 2, 1, 2]]);
      expect(tile(tensor([1, 2]), [2, 1]).toArray()).toEqual([[1, 2], [1, 2]]);
    });

    it("explains bad reps", () => {
      expect(() => repeat(zeros([2, 3]), [2])).toThrow("repeat: reps [2] must be non-negative integers, at least one per dimension of x: [2,3]");
      expect(() => tile(zeros([2]), [-1])).toThrow("tile: reps [-1] must be non-negative integers");
    });
  });
});
