import { tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { defaultCollate, stackRows } from "./collate.js";

describe("defaultCollate", () => {
  it("stacks tensors, numbers, booleans and number arrays", () => {
    const t = defaultCollate([tensor([1, 2]), tensor([3, 4])]);
    expect(t.shape).toEqual([2, 2]);
    expect(t.toArray()).toEqual([[1, 2], [3, 4]]);
    expect(defaultCollate([1, 2, 3]).toArray()).toEqual([1, 2, 3]);
    const b = defaultCollate([true, false]);
    expect(b.dtype).toBe("bool");
    expect(b.toArray()).toEqual([true, false]);
    expect(defaultCollate([[1, 2, 3], [4, 5, 6]]).shape).toEqual([2, 3]);
  });

  it("collates tuples and objects field by field, strings as lists", () => {
    const [xs, ys] = defaultCollate([[tensor([1]), 0] as const, [tensor([2]), 1] as const]);
    expect(xs.toArray()).toEqual([[1], [2]]);
    expect(ys.toArray()).toEqual([0, 1]);
    const o = defaultCollate([{ id: "a", v: 1 }, { id: "b", v: 2 }]);
    expect(o.id).toEqual(["a", "b"]);
    expect(o.v.toArray()).toEqual([1, 2]);
  });

  it("explains what cannot be stacked", () => {
    expect(() => defaultCollate([tensor([1, 2]), tensor([1])])).toThrow("defaultCollate: all tensors must have the same shape and dtype (got [2] float32, [1] float32)");
    expect(() => defaultCollate([[1, 2], [3]])).toThrow(/number arrays of different lengths \(2, 1\); pad them first/);
    expect(() => defaultCollate([{ a: [1] }, { a: "x" }])).toThrow("defaultCollate.a: batch mixes array and string items");
    expect(() => defaultCollate([])).toThrow(/empty batch/);
  });

  it("stackRows keeps int32 and rank-0 rows", () => {
    const s = stackRows([tensor(1, [], "int32"), tensor(2, [], "int32")]);
    expect(s.dtype).toBe("int32");
    expect(s.shape).toEqual([2]);
  });
});
