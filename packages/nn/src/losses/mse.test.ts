import "@heed/autograd";
import { gradCheck } from "@heed/autograd";
import { tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { randn64 } from "../../test/utils.js";
import { mseLoss } from "./mse.js";

describe("mseLoss", () => {
  const a = tensor([[1, 2], [3, 4]]);
  const b = tensor([[0, 2], [5, 1]]);
  it("reduces by mean, sum or none", () => {
    expect(mseLoss(a, b).item()).toBe(14 / 4);
    expect(mseLoss(a, b, { reduction: "sum" }).item()).toBe(14);
    expect(mseLoss(a, b, { reduction: "none" }).toArray()).toEqual([[1, 0], [4, 9]]);
  });

  it("has correct gradients for input and target", () => {
    for (const reduction of ["mean", "sum", "none"] as const) {
      const r = gradCheck((x, y) => mseLoss(x, y, { reduction }), [randn64([3, 4], 1), randn64([3, 4], 2)]);
      expect(r.ok, JSON.stringify(r)).toBe(true);
    }
  });

  it("validates its arguments", () => {
    expect(() => mseLoss(a, b, { reduction: "x" as "sum" })).toThrow(/mseLoss: reduction must be/);
    expect(() => mseLoss(tensor([1], undefined, "int32"), b)).toThrow(/mseLoss: input must be a float tensor, got 'int32'/);
    // PyTorch broadcasts [2, 1] against [2] to a [2, 2] loss (with a warning); Heed refuses
    expect(() => mseLoss(tensor([[1], [2]]), tensor([1, 2]))).toThrow(/mseLoss: target must have the input's shape \[2,1\], got \[2\]/);
  });
});
