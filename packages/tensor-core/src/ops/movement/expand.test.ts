import { describe, expect, it } from "vitest";
import { Generator, broadcastTo, expand, randn, tensor, zeros } from "../../index.js";
import { refMap } from "../../../test/utils/movement.js";
import { forEachBackend } from "../../../test/utils/backends.js";

// Every test below runs once per registered backend (js reference, wasm).
forEachBackend(() => {
  describe("expand / broadcastTo", () => {
    it.each([
      [[3, 1], [3, 4]],
      [[1, 4], [2, 3, 4]],
      [[2, 1, 3, 1], [2, 5, 3, 20]],
      [[5], [2, 5]],
      [[], [2, 3]],
      [[1, 1], [1, 1]],
    ])("%j to %j matches the index-decoding reference", (from, to) => {
      const x = randn(from, new Generator(from.length));
      const y = expand(x, to);
      expect(y.shape).toEqual(to);
      const lead = to.length - from.length;
      expect(y).toBeAllclose(refMap(to, x.data, from, (idx) => from.map((d, k) => (d === 1 ? 0 : idx[k + lead]!))), { rtol: 0, atol: 0 });
      expect(broadcastTo(x, to)).toBeAllclose(y.data, { rtol: 0, atol: 0 });
    });

    it("keeps dimensions given as -1, dtypes, and handles size 0", () => {
      expect(expand(zeros([3, 1]), [-1, 4]).shape).toEqual([3, 4]);
      expect(expand(tensor([[true], [false]]), [2, 2]).toArray()).toEqual([[true, true], [false, false]]);
      expect(expand(zeros([1, 3]), [0, 3]).shape).toEqual([0, 3]);
      expect(expand(zeros([0, 1]), [0, 3]).shape).toEqual([0, 3]);
    });

    it("repeats a single value of any dtype and rank into every element, -0 and NaN included", () => {
      const cases: [unknown, string, number[], number[]][] = [
        [[[-0]], "float32", [1, 1], [3, 2, 5]],
        [[NaN], "float64", [1], [4, 7]],
        [7, "int32", [], [2, 3, 2]],
        [[[true]], "bool", [1, 1], [2, 1, 3]],
      ];
      for (const [value, dtype, from, to] of cases) {
        const x = tensor(value as number, { dtype: dtype as "float32" }).reshape(from);
        const y = expand(x, to);
        expect(y.shape).toEqual(to);
        expect(y.dtype).toBe(dtype);
        const want = x.data[0]!;
        expect(Array.from(y.data).every((v) => Object.is(v, want))).toBe(true);
      }
    });

    it("explains impossible targets", () => {
      expect(() => expand(zeros([2, 3]), [4, 3])).toThrow("expand: cannot expand x: [2,3] to [4,3] (dimension 0 is 2, target 4)");
      expect(() => broadcastTo(zeros([2, 3]), [3])).toThrow("broadcastTo: target shape [3] has fewer dimensions than x: [2,3]");
      expect(() => expand(zeros([3]), [-1, 3])).toThrow("expand: cannot expand x: [3] to [-1,3] (dimension 0 is new, target -1)");
    });
  });
});
