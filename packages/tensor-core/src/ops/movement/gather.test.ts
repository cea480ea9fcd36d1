import { describe, expect, it } from "vitest";
import { Generator, gather, indexSelect, randint, randn, scatterAdd, sum, mul, tensor, zeros } from "../../index.js";
import { refMap } from "../../../test/utils/movement.js";
import { forEachBackend } from "../../../test/utils/backends.js";

// Every test below runs once per registered backend (js reference, wasm).
forEachBackend(() => {
  const int = (v: number[] | number[][]): ReturnType<typeof tensor> => tensor(v, undefined, "int32");

  describe("gather", () => {
    const g = new Generator(12);

    it.each([
      [[5, 3], [4], 0],
      [[5, 3], [2, 2], 1],
      [[2, 6, 3], [3, 2], 1],
      [[2, 3, 20], [7], -1],
      [[4], [], 0],
    ])("x %j, indices %j, axis %d matches x[:axis] + indices + x[axis+1:]", (xs, is, axis) => {
      const x = randn(xs, g);
      const a = (axis + xs.length) % xs.length;
      const idx = randint(0, xs[a]!, is, g);
      const y = gather(x, idx, axis);
      const shape = [...xs.slice(0, a), ...is, ...xs.slice(a + 1)];
      expect(y.shape).toEqual(shape);
      const r = is.length;
      const flatIdx = (v: number[]): number => v.reduce((o, w, k) => o * is[k]! + w, 0);
      expect(y).toBeAllclose(refMap(shape, x.data, xs, (v) => [...v.slice(0, a), idx.data[flatIdx(v.slice(a, a + r))]!, ...v.slice(a + r)]), { rtol: 0, atol: 0 });
    });

    it("keeps dtypes, repeats indices and handles size 0", () => {
      expect(gather(tensor([[1, 2], [3, 4], [5, 6]]), int([2, 0, 2])).toArray()).toEqual([[5, 6], [1, 2], [5, 6]]);
      expect(gather(int([7, 8]), int([1])).toArray()).toEqual([8]);
      expect(gather(zeros([3, 2]), int([])).shape).toEqual([0, 2]);
      expect(gather(zeros([0, 2]), int([]), 0).shape).toEqual([0, 2]);
    });

    it("names the op, the bad index and the dimension", () => {
      expect(() => gather(zeros([5, 3]), int([1, 5]))).toThrow("gather: index 5 is out of range for dimension 0 of size 5 (x: [5,3], indices: [2])");
      expect(() => gather(zeros([5, 3]), int([-1]), 1)).toThrow("gather: index -1 is out of range for dimension 1 of size 3 (x: [5,3], indices: [1])");
      expect(() => gather(zeros([5]), tensor([1]))).toThrow("gather: indices must be int32, got 'float32' (x: [5], indices: [1])");
      expect(() => gather(tensor(1), int([0]))).toThrow("gather: x must have at least 1 dimension (x: [], indices: [1])");
      expect(() => gather(zeros([5]), int([0]), 1)).toThrow("gather: axis 1 is out of range for dimension count 1");
    });
  });

  describe("indexSelect", () => {
    it("is gather with a 1-d index in torch's argument order", () => {
      const x = tensor([[1, 2, 3], [4, 5, 6]]);
      expect(indexSelect(x, 1, int([2, 0])).toArray()).toEqual([[3, 1], [6, 4]]);
      expect(indexSelect(x, -2, int([1])).toArray()).toEqual([[4, 5, 6]]);
    });

    it("explains bad indices", () => {
      expect(() => indexSelect(zeros([2, 3]), 0, int([[0]]))).toThrow("indexSelect: index must be 1-d, got shape [1,1] (x: [2,3])");
      expect(() => indexSelect(zeros([2, 3]), 0, tensor([0]))).toThrow("indexSelect: indices must be int32, got 'float32'");
      expect(() => indexSelect(zeros([2, 3]), 0, int([2]))).toThrow("gather: index 2 is out of range for dimension 0 of size 2");
    });
  });

  describe("scatterAdd", () => {
    const g = new Generator(13);

    it("accumulates repeated indices", () => {
      expect(scatterAdd(tensor([1, 2, 3]), int([0, 2, 0]), 0, 4).toArray()).toEqual([4, 0, 2, 0]);
      expect(scatterAdd(tensor([[1, 2], [3, 4]]), int([1, 1]), 1, 3).toArray()).toEqual([[0, 3, 0], [0, 7, 0]]);
    });

    it("is the adjoint of gather: <gather(x, i), y> = <x, scatterAdd(y, i)>", () => {
      const x = randn([2, 5, 3], g);
      const idx = randint(0, 5, [4, 2], g);
      const y = randn([2, 4, 2, 3], g);
      const lhs = sum(mul(gather(x, idx, 1), y)).item();
      const back = scatterAdd(y, idx, 1, 5);
      expect(back.shape).toEqual([2, 5, 3]);
      expect(sum(mul(x, back)).item()).toBeCloseTo(lhs, 4);
    });

    it("explains mismatches", () => {
      expect(() => scatterAdd(zeros([2, 3]), int([0, 1]), 1, 4)).toThrow("scatterAdd: src: [2,3] does not hold indices: [2] at axis 1");
      expect(() => scatterAdd(zeros([3]), int([0, 1, 4]), 0, 4)).toThrow("scatterAdd: index 4 is out of range for dimension 0 of size 4 (src: [3], indices: [3])");
    });
  });
});
