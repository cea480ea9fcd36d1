import { describe, expect, it } from "vitest";
import { Generator, pad, randn, tensor, zeros } from "../../index.js";
import { forEachBackend } from "../../../test/utils/backends.js";

// Every test below runs once per registered backend (js reference, wasm).
forEachBackend(() => {
  describe("pad", () => {
    it("pads the last dimensions, outermost pair first", () => {
      expect(pad(tensor([[1, 2]]), [[0, 0], [1, 1]]).toArray()).toEqual([[0, 1, 2, 0]]);
      expect(pad(tensor([[1, 2]]), [[1, 0]], -1).toArray()).toEqual([[-1, 1, 2]]);
      expect(pad(tensor([[1, 2]]), [[1, 2], [0, 1]], 9).toArray()).toEqual([[9, 9, 9], [1, 2, 9], [9, 9, 9], [9, 9, 9]]);
    });

    it("places every element at its offset (3-d check against a reference)", () => {
      const x = randn([2, 3, 4], new Generator(14));
      const y = pad(x, [[1, 0], [2, 3], [0, 5]], -Infinity);
      expect(y.shape).toEqual([3, 8, 9]);
      const ref = new Float64Array(3 * 8 * 9).fill(-Infinity);
      for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 4; k++) ref[((i + 1) * 8 + j + 2) * 9 + k] = x.data[(i * 3 + j) * 4 + k]!;
      expect(y).toBeAllclose(ref, { rtol: 0, atol: 0 });
    });

    it("handles rank 0, size 0, no padding and int dtypes", () => {
      expect(pad(tensor(3), []).item()).toBe(3);
      expect(pad(zeros([0, 2]), [[1, 1], [0, 0]], 5).toArray()).toEqual([[5, 5], [5, 5]]);
      expect(pad(tensor([1, 2], undefined, "int32"), [[0, 1]]).toArray()).toEqual([1, 2, 0]);
      expect(pad(tensor([1, 2]), [[0, 0]]).toArray()).toEqual([1, 2]);
      expect(pad(tensor([false]), [[1, 0]], 7).data).toEqual(new Uint8Array([1, 0]));
    });

    it("explains bad paddings", () => {
      expect(() => pad(zeros([2]), [[0, 0], [1, 1]])).toThrow("pad: 2 padding pairs given for x: [2] (paddings: [[0,0],[1,1]])");
      expect(() => pad(zeros([2]), [[-1, 0]])).toThrow("pad: paddings must be pairs of non-negative integers (x: [2], paddings: [[-1,0]])");
    });
  });
});
