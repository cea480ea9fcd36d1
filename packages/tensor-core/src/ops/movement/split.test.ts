import { describe, expect, it } from "vitest";
import { arange, chunk, concat, reshape, split, zeros } from "../../index.js";
import { forEachBackend } from "../../../test/utils/backends.js";

// Every test below runs once per registered backend (js reference, wasm).
forEachBackend(() => {
  describe("split", () => {
    it("cuts into equal pieces with a smaller last one (torch.split)", () => {
      const parts = split(arange(5), 2);
      expect(parts.map((t) => t.toArray())).toEqual([[0, 1], [2, 3], [4]]);
      expect(split(arange(4), 4).map((t) => t.shape)).toEqual([[4]]);
      expect(split(arange(3), 10).map((t) => t.shape)).toEqual([[3]]);
    });

    it("cuts into listed sections along any axis, and the pieces rejoin", () => {
      const x = reshape(arange(12), [2, 6]);
      const parts = split(x, [1, 0, 5], -1);
      expect(parts.map((t) => t.shape)).toEqual([[2, 1], [2, 0], [2, 5]]);
      expect(concat(parts, 1).toArray()).toEqual(x.toArray());
      expect(split(zeros([0, 2]), 3).map((t) => t.shape)).toEqual([[0, 2]]);
    });

    it("explains bad sizes", () => {
      expect(() => split(zeros([4]), 0)).toThrow("split: split size must be a positive integer, got 0 (x: [4], axis 0)");
      expect(() => split(zeros([2, 6]), [2, 3], 1)).toThrow("split: sections [2,3] (sum 5) do not split axis 1 of size 6 (x: [2,6])");
    });
  });

  describe("chunk", () => {
    it("makes ceil(dim / chunks)-sized pieces like torch.chunk", () => {
      expect(chunk(arange(5), 3).map((t) => t.toArray())).toEqual([[0, 1], [2, 3], [4]]);
      expect(chunk(arange(6), 4).map((t) => t.shape)).toEqual([[2], [2], [2]]);
      expect(chunk(reshape(arange(6), [3, 2]), 2, 1).map((t) => t.toArray())).toEqual([[[0], [2], [4]], [[1], [3], [5]]]);
    });

    it("explains bad counts", () => {
      expect(() => chunk(zeros([4]), 0)).toThrow("chunk: chunks must be a positive integer, got 0 (x: [4])");
    });
  });
});
