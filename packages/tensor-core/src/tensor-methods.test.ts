import { describe, expect, it } from "vitest";
import { matmul, tensor, Tensor } from "./index.js";

describe("Tensor methods", () => {
  it("chain like PyTorch and equal the functional ops", () => {
    const x = tensor([[1, 2], [3, 4]]);
    const w = tensor([[1, 0], [0, 2]]);
    const y = x.matmul(w).add(1).relu().sum(-1);
    expect(y).toBeInstanceOf(Tensor);
    expect(y.toArray()).toEqual([7, 13]);
    expect(x.matmul(w).toArray()).toEqual(matmul(x, w).toArray());
    expect(x.transpose().reshape([4]).toArray()).toEqual([1, 3, 2, 4]);
    expect(x.softmax(-1).sum(-1).toArray()).toEqual([1, 1]);
  });

  it("describe themselves readably", () => {
    expect(tensor([[1, 2], [3, 4]]).toString()).toContain("shape=[2,2], dtype=float32");
    expect(tensor([true, false]).toString()).toContain("[true, false]");
    expect(() => tensor([1, 2]).item()).toThrow(/item: expected a tensor with one element, got shape \[2\]/);
  });
});
