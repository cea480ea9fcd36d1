import { describe, expect, it } from "vitest";
import { equal, greater, greaterEqual, less, lessEqual, notEqual, tensor, type Tensor, type TensorLike } from "../../index.js";
import { refBroadcast, uniform } from "../../../test/utils/elementwise.js";
import { forEachBackend } from "../../../test/utils/backends.js";

// Every test below runs once per registered backend (js reference, wasm).
forEachBackend(() => {
  const OPS: [string, (a: TensorLike, b: TensorLike) => Tensor, (a: number, b: number) => boolean][] = [
    ["equal", equal, (a, b) => a === b],
    ["notEqual", notEqual, (a, b) => a !== b],
    ["less", less, (a, b) => a < b],
    ["lessEqual", lessEqual, (a, b) => a <= b],
    ["greater", greater, (a, b) => a > b],
    ["greaterEqual", greaterEqual, (a, b) => a >= b],
  ];

  describe("comparisons", () => {
    for (const [name, op, f] of OPS) {
      it(`${name}: bool result, broadcasting, NaN and infinities`, () => {
        // values on a coarse grid so that equal pairs occur
        const a = tensor(uniform(12, 1).map(Math.round), [3, 4]);
        const b = tensor(uniform(4, 2).map(Math.round), [4]);
        const out = op(a, b);
        expect(out.dtype).toBe("bool");
        expect(out.shape).toEqual([3, 4]);
        expect(Array.from(out.data)).toEqual(Array.from(refBroadcast([a, b], (x, y) => Number(f(x, y))).data));
        const edge = [NaN, Infinity, -Infinity, 0, -0];
        const x = tensor(edge, [5, 1]);
        const y = tensor(edge, [1, 5]);
        expect(Array.from(op(x, y).data)).toEqual(Array.from(refBroadcast([x, y], (p, q) => Number(f(p, q))).data));
        expect(op(tensor(new Float32Array(0), [0, 2]), 1).shape).toEqual([0, 2]);
      });
    }

    it("compares across dtypes and with JS numbers", () => {
      expect(equal(tensor([1, 2], undefined, "int32"), tensor([1, 2.5])).toArray()).toEqual([true, false]);
      expect(less(tensor([true, false]), 1).toArray()).toEqual([false, true]);
      expect(greater(0.5, tensor([0, 1], undefined, "int32")).toArray()).toEqual([true, false]);
      expect(equal(tensor([0.1], undefined, "float64"), 0.1).toArray()).toEqual([true]);
    });

    it("names the op and shapes when shapes do not broadcast", () => {
      expect(() => less(tensor([1, 2]), tensor([1, 2, 3]))).toThrow("less: shapes [2] and [3] cannot be broadcast together");
    });
  });
});
