import { describe, expect, it } from "vitest";
import { Generator, ones, randn, tensor, tril, triu, zeros } from "../../index.js";
import { forEachBackend } from "../../../test/utils/backends.js";

// Every test below runs once per registered backend (js reference, wasm).
forEachBackend(() => {
  describe("tril / triu", () => {
    it("keep the lower / upper triangle with a diagonal offset", () => {
      expect(tril(ones([3, 3])).toArray()).toEqual([[1, 0, 0], [1, 1, 0], [1, 1, 1]]);
      expect(triu(ones([3, 3]), 1).toArray()).toEqual([[0, 1, 1], [0, 0, 1], [0, 0, 0]]);
      expect(tril(ones([2, 4]), -1).toArray()).toEqual([[0, 0, 0, 0], [1, 0, 0, 0]]);
      expect(triu(ones([2, 4]), -1).toArray()).toEqual([[1, 1, 1, 1], [1, 1, 1, 1]]);
    });

    it("apply to the last two dimensions of a batch, keeping NaN/Infinity in the kept part", () => {
      const x = randn([2, 3, 4, 5], new Generator(15));
      const lo = tril(x, 1);
      const hi = triu(x, 2);
      const expLo = Float64Array.from(x.data, (v, i) => ((i % 5) - (Math.floor(i / 5) % 4) <= 1 ? v : 0));
      const expHi = Float64Array.from(x.data, (v, i) => ((i % 5) - (Math.floor(i / 5) % 4) >= 2 ? v : 0));
      expect(lo).toBeAllclose(expLo, { rtol: 0, atol: 0 });
      expect(hi).toBeAllclose(expHi, { rtol: 0, atol: 0 });
      expect(tril(tensor([[NaN, NaN], [Infinity, 1]])).toArray()).toEqual([[NaN, 0], [Infinity, 1]]);
      expect(tril(zeros([0, 3])).shape).toEqual([0, 3]);
    });

    it("explain bad inputs", () => {
      expect(() => tril(zeros([3]))).toThrow("tril: x must have at least 2 dimensions (x: [3])");
      expect(() => triu(zeros([2, 2]), 0.5)).toThrow("triu: diagonal offset k must be an integer, got 0.5 (x: [2,2])");
    });
  });
});
