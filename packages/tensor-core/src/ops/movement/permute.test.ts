import { describe, expect, it } from "vitest";
import { Generator, arange, permute, randn, reshape, tensor, transpose, zeros } from "../../index.js";
import { refMap } from "../../../test/utils/movement.js";
import { forEachBackend } from "../../../test/utils/backends.js";

// Every test below runs once per registered backend (js reference, wasm).
forEachBackend(() => {
  function check(shape: number[], perm: number[]): void {
    const x = randn(shape, new Generator(shape.length * 10 + perm[0]!));
    const y = permute(x, perm);
    const outShape = perm.map((p) => shape[p]!);
    expect(y.shape).toEqual(outShape);
    const inv = perm.map((_, i) => perm.indexOf(i));
    expect(y).toBeAllclose(refMap(outShape, x.data, shape, (idx) => inv.map((j) => idx[j]!)), { rtol: 0, atol: 0 });
  }

  describe("permute", () => {
    it.each([
      [[2, 5, 3, 4], [0, 2, 1, 3]], // [B,L,H,D] -> [B,H,L,D]: runs of D
      [[3, 37, 45], [0, 2, 1]], // batched transpose across tile edges
      [[70, 33], [1, 0]],
      [[2, 3, 4, 5], [3, 2, 1, 0]],
      [[2, 3, 4, 5], [1, 3, 0, 2]],
      [[2, 1, 4, 1, 3], [4, 3, 2, 1, 0]], // size-1 dims dropped
      [[4, 6, 20], [2, 0, 1]], // merged [4·6, 20] transpose
      [[3, 4, 5], [0, 1, 2]], // identity
      [[2, 3, 20], [1, 0, 2]], // long runs copied with set()
    ])("%j by %j matches the index-decoding reference", (shape, perm) => check(shape, perm));

    it("accepts negative axes and handles rank 0, size-0 and int/bool dtypes", () => {
      expect(permute(zeros([2, 3]), [-1, -2]).shape).toEqual([3, 2]);
      expect(permute(tensor(3), []).item()).toBe(3);
      expect(permute(zeros([0, 3]), [1, 0]).shape).toEqual([3, 0]);
      const i = permute(reshape(arange(6), [2, 3]), [1, 0]);
      expect(i.dtype).toBe("int32");
      expect(i.toArray()).toEqual([[0, 3], [1, 4], [2, 5]]);
      expect(permute(tensor([[true, false]]), [1, 0]).toArray()).toEqual([[true], [false]]);
    });

    it("does not share storage with its input", () => {
      const x = zeros([2, 2]);
      expect(permute(x, [0, 1]).data).not.toBe(x.data);
    });

    it("rejects non-permutations", () => {
      expect(() => permute(zeros([2, 3]), [0, 0])).toThrow("permute: [0,0] is not a permutation of the 2 dimensions of x: [2,3]");
      expect(() => permute(zeros([2, 3]), [0])).toThrow("permute: [0] is not a permutation of the 2 dimensions of x: [2,3]");
      expect(() => permute(zeros([2, 3]), [0, 2])).toThrow("permute: axis 2 is out of range for dimension count 2");
    });
  });

  describe("transpose", () => {
    it("swaps the last two dimensions by default, or any two", () => {
      const x = randn([2, 3, 4], new Generator(1));
      expect(transpose(x).shape).toEqual([2, 4, 3]);
      expect(transpose(x)).toBeAllclose(permute(x, [0, 2, 1]).data, { rtol: 0, atol: 0 });
      expect(transpose(x, 0, -1).shape).toEqual([4, 3, 2]);
      expect(transpose(x, 0, 2)).toBeAllclose(permute(x, [2, 1, 0]).data, { rtol: 0, atol: 0 });
      expect(transpose(x, 1, 1).shape).toEqual([2, 3, 4]);
    });

    it("rejects tensors without two dimensions and bad axes", () => {
      expect(() => transpose(zeros([3]))).toThrow("transpose: x must have at least 2 dimensions to swap the last two (x: [3])");
      expect(() => transpose(zeros([2, 3]), 0, 2)).toThrow("transpose: axis 2 is out of range for dimension count 2 of a tensor with shape [2,3]");
    });
  });
});
