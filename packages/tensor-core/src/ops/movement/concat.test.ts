import { describe, expect, it } from "vitest";
import { Generator, arange, concat, randn, reshape, stack, tensor, zeros } from "../../index.js";
import { ravel, unravel } from "../../../test/utils/movement.js";
import { forEachBackend } from "../../../test/utils/backends.js";

// Every test below runs once per registered backend (js reference, wasm).
forEachBackend(() => {
  describe("concat", () => {
    const g = new Generator(9);

    it.each([0, 1, 2, -1])("joins along axis %d like the index-decoding reference", (axis) => {
      const a = (axis + 3) % 3;
      const shapes = [[2, 3, 4], [2, 3, 4], [2, 3, 4]].map((s, i) => s.map((d, k) => (k === a ? d + i : d)));
      const ts = shapes.map((s) => randn(s, g));
      const y = concat(ts, axis);
      const outShape = shapes[0]!.map((d, k) => (k === a ? shapes.reduce((n, s) => n + s[k]!, 0) : d));
      expect(y.shape).toEqual(outShape);
      // Walk down the list of pieces until the index along `a` falls inside one.
      const expected = Float64Array.from({ length: y.size }, (_, i) => {
        const idx = unravel(i, outShape);
        let t = 0;
        while (idx[a]! >= shapes[t]![a]!) idx[a]! -= shapes[t++]![a]!;
        return ts[t]!.data[ravel(idx, shapes[t]!)]!;
      });
      expect(y).toBeAllclose(expected, { rtol: 0, atol: 0 });
    });

    it("promotes dtypes, copies single tensors and handles size-0 pieces", () => {
      const y = concat([tensor([1, 2], undefined, "int32"), tensor([0.5])]);
      expect(y.dtype).toBe("float32");
      expect(y.toArray()).toEqual([1, 2, 0.5]);
      const x = arange(3);
      expect(concat([x]).data).not.toBe(x.data);
      expect(concat([zeros([2, 0]), reshape(arange(4, undefined, 1, "float32"), [2, 2])], 1).toArray()).toEqual([[0, 1], [2, 3]]);
    });

    it("explains mismatches", () => {
      expect(() => concat([])).toThrow("concat: expected at least one tensor, got an empty list");
      expect(() => concat([zeros([2]), null as never])).toThrow("concat: expected 'tensors[1]' to be a Tensor, got null");
      expect(() => concat([zeros([2, 3]), zeros([3, 3])], 1)).toThrow(
        "concat: tensor 1 has shape [3,3] but tensor 0 has shape [2,3]; they must match except in axis 1 (shapes: [2,3], [3,3])",
      );
      expect(() => concat([zeros([2]), zeros([2, 1])])).toThrow("concat: tensor 1 has shape [2,1] but tensor 0 has shape [2]");
      expect(() => concat([tensor(1), tensor(2)])).toThrow("concat: rank-0 tensors cannot be concatenated (shapes: [], []); use stack");
      expect(() => concat([zeros([2])], 1)).toThrow("concat: axis 1 is out of range for dimension count 1");
    });
  });

  describe("stack", () => {
    it("joins along a new axis", () => {
      const a = tensor([[1, 2], [3, 4]]);
      const b = tensor([[5, 6], [7, 8]]);
      expect(stack([a, b]).toArray()).toEqual([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]);
      expect(stack([a, b], 1).toArray()).toEqual([[[1, 2], [5, 6]], [[3, 4], [7, 8]]]);
      expect(stack([a, b], -1).toArray()).toEqual([[[1, 5], [2, 6]], [[3, 7], [4, 8]]]);
      expect(stack([tensor(1), tensor(2)]).toArray()).toEqual([1, 2]);
    });

    it("explains mismatches", () => {
      expect(() => stack([])).toThrow("stack: expected at least one tensor, got an empty list");
      expect(() => stack([zeros([2]), zeros([3])])).toThrow("stack: tensor 1 has shape [3] but tensor 0 has shape [2]; all must match (shapes: [2], [3])");
      expect(() => stack([zeros([2])], 2)).toThrow("stack: axis 2 is out of range for dimension count 2");
    });
  });
});
