import { describe, expect, it } from "vitest";
import { arange, flatten, reshape, squeeze, tensor, unsqueeze, zeros } from "../../index.js";
import { forEachBackend } from "../../../test/utils/backends.js";

// Every test below runs once per registered backend (js reference, wasm).
forEachBackend(() => {
  describe("reshape", () => {
    it("keeps row-major order, infers one -1 and shares storage", () => {
      const x = arange(6);
      const y = reshape(x, [2, -1]);
      expect(y.shape).toEqual([2, 3]);
      expect(y.toArray()).toEqual([[0, 1, 2], [3, 4, 5]]);
      expect(y.data).toBe(x.data);
      expect(reshape(y, [3, 2]).toArray()).toEqual([[0, 1], [2, 3], [4, 5]]);
      expect(reshape(tensor([7]), []).shape).toEqual([]);
      expect(reshape(tensor(7), [1, 1]).shape).toEqual([1, 1]);
      expect(reshape(zeros([2, 0]), [0, 5]).shape).toEqual([0, 5]);
    });

    it("explains impossible shapes", () => {
      expect(() => reshape(arange(6), [4, -1])).toThrow("reshape: cannot reshape x: [6] (6 elements) into [4,-1]");
      expect(() => reshape(arange(6), [4, 2])).toThrow("reshape: cannot reshape x: [6] (6 elements) into [4,2] (8 elements)");
      expect(() => reshape(arange(6), [-1, -1])).toThrow("reshape: invalid shape [-1,-1] for x: [6]");
      expect(() => reshape(zeros([0]), [0, -1])).toThrow("reshape: cannot reshape x: [0] (0 elements) into [0,-1]");
      expect(() => reshape(arange(6), [2.5, 2])).toThrow("reshape: invalid shape [2.5,2] for x: [6]");
    });
  });

  describe("flatten", () => {
    it("merges startDim..endDim", () => {
      const x = zeros([2, 3, 4, 5]);
      expect(flatten(x).shape).toEqual([120]);
      expect(flatten(x, 1).shape).toEqual([2, 60]);
      expect(flatten(x, 1, 2).shape).toEqual([2, 12, 5]);
      expect(flatten(x, -2).shape).toEqual([2, 3, 20]);
      expect(flatten(tensor(3)).shape).toEqual([1]);
      expect(flatten(zeros([2, 0, 3]), 1).shape).toEqual([2, 0]);
    });

    it("rejects inverted ranges", () => {
      expect(() => flatten(zeros([2, 3, 4]), 2, 1)).toThrow("flatten: startDim 2 comes after endDim 1 (x: [2,3,4])");
    });
  });

  describe("squeeze / unsqueeze", () => {
    it("removes all or the given size-1 dimensions", () => {
      const x = zeros([1, 3, 1, 2]);
      expect(squeeze(x).shape).toEqual([3, 2]);
      expect(squeeze(x, 2).shape).toEqual([1, 3, 2]);
      expect(squeeze(x, [0, -2]).shape).toEqual([3, 2]);
      expect(squeeze(zeros([1])).shape).toEqual([]);
      expect(squeeze(tensor(1)).shape).toEqual([]);
      expect(squeeze(tensor(1), -1).shape).toEqual([]);
      expect(squeeze(x, [0, 1]).shape).toEqual([3, 1, 2]); // axis 1 has size 3: kept, as in torch
    });

    it("inserts a dimension anywhere in -(rank+1)..rank", () => {
      const x = zeros([2, 3]);
      expect(unsqueeze(x, 0).shape).toEqual([1, 2, 3]);
      expect(unsqueeze(x, 2).shape).toEqual([2, 3, 1]);
      expect(unsqueeze(x, -1).shape).toEqual([2, 3, 1]);
      expect(unsqueeze(x, -3).shape).toEqual([1, 2, 3]);
      expect(unsqueeze(tensor(1), 0).shape).toEqual([1]);
    });

    it("explains errors", () => {
      expect(() => squeeze(zeros([2, 3]), 2)).toThrow("squeeze: axis 2 is out of range for dimension count 2 of a tensor with shape [2,3]");
      expect(() => squeeze(tensor(1), 1)).toThrow("squeeze: axis 1 is out of range for a rank-0 tensor");
      expect(() => unsqueeze(zeros([2, 3]), 3)).toThrow("unsqueeze: axis 3 is out of range for dimension count 3");
    });
  });
});
