import { Tensor, tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { referenceAttention, rnd } from "../../test/utils/reference.js";
import { scaledDotProductAttention } from "./sdpa.js";
import type { AttentionImplementation } from "./types.js";

const IMPLS: AttentionImplementation[] = ["composed", "memoryEfficient"];

describe("scaledDotProductAttention edge cases", () => {
  for (const implementation of IMPLS) {
    it(`${implementation}: size-0 dims`, () => {
      const noKeys = scaledDotProductAttention(rnd([2, 3, 4], 1), rnd([2, 0, 4], 2), rnd([2, 0, 5], 3), { implementation });
      expect(noKeys.shape).toEqual([2, 3, 5]);
      expect(Array.from(noKeys.data).every((x) => x === 0)).toBe(true);
      expect(scaledDotProductAttention(rnd([2, 0, 4], 1), rnd([2, 3, 4], 2), rnd([2, 3, 5], 3), { implementation }).shape).toEqual([2, 0, 5]);
      expect(scaledDotProductAttention(rnd([0, 3, 4], 1), rnd([0, 2, 4], 2), rnd([0, 2, 5], 3), { implementation }).shape).toEqual([0, 3, 5]);
    });
    it(`${implementation}: size-1 dims and scores of ±1e4 stay finite and exact`, () => {
      const q = tensor([[100, -100], [1, 1]], undefined, "float64");
      const k = tensor([[100, 0], [-100, 0], [0, 100]], undefined, "float64");
      const v = rnd([3, 1], 4);
      const out = scaledDotProductAttention(q, k, v, { implementation, scale: 1 });
      const ref = referenceAttention(q.data, k.data, v.data, { batch: 1, L: 2, S: 3, E: 2, Ev: 1 }, 1);
      expect(out.data).toBeAllclose(ref.out, { rtol: 1e-10, atol: 1e-12 });
      const one = scaledDotProductAttention(rnd([1, 1], 5), rnd([1, 1], 6), rnd([1, 1], 7), { implementation });
      expect(one.data[0]).toBeCloseTo(rnd([1, 1], 7).data[0]!, 12);
    });
    it(`${implementation}: NaN propagates like in a plain matmul`, () => {
      const q = new Tensor(Float64Array.from([Number.NaN, 0, 1, 2]), [2, 2]);
      const fromQ = scaledDotProductAttention(q, rnd([3, 2], 2), rnd([3, 1], 3), { implementation });
      expect(Number.isNaN(fromQ.data[0])).toBe(true);
      expect(Number.isNaN(fromQ.data[1])).toBe(false);
      // A masked key has weight exactly 0, and 0·NaN = NaN: a NaN value reaches every row (as in PyTorch).
      const v = new Tensor(Float64Array.from([1, Number.NaN, 2]), [3, 1]);
      const fromV = scaledDotProductAttention(rnd([2, 2], 1), rnd([3, 2], 2), v, { implementation, attnMask: tensor([[true, true, true], [true, false, true]]) });
      expect(Array.from(fromV.data).every(Number.isNaN)).toBe(true);
    });
  }
});
