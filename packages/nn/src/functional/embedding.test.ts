import "@heed/autograd";
import { gradCheck } from "@heed/autograd";
import { mul, sum, tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { randn64 } from "../../test/utils.js";
import { embedding } from "./embedding.js";

const ids = (v: number[][]) => tensor(v, undefined, "int32");

describe("embedding", () => {
  it("looks up rows: [B, L] ids → [B, L, E]", () => {
    const w = tensor([[0, 1], [2, 3], [4, 5]]);
    const y = embedding(ids([[2, 0], [1, 1]]), w);
    expect(y.shape).toEqual([2, 2, 2]);
    expect(y.toArray()).toEqual([[[4, 5], [0, 1]], [[2, 3], [2, 3]]]);
  });

  it("accumulates gradients of repeated ids and skips the padding row", () => {
    const w = tensor([[0, 1], [2, 3], [4, 5]]).requiresGrad_();
    sum(mul(embedding(ids([[1, 1, 0, 2]]), w, 0), 2)).backward();
    expect(w.grad!.toArray()).toEqual([[0, 0], [4, 4], [2, 2]]);
    const w2 = tensor([[0, 1], [2, 3], [4, 5]]).requiresGrad_();
    sum(embedding(ids([[1, 2]]), w2, -1)).backward();
    expect(w2.grad!.toArray()).toEqual([[0, 0], [1, 1], [0, 0]]);
  });

  it("returns the padding row's stored value", () => {
    expect(embedding(ids([[0]]), tensor([[7, 8], [1, 1]]), 0).toArray()).toEqual([[[7, 8]]]);
  });

  it("has correct gradients, with and without a padding index (the padded lookup takes its own backward)", () => {
    const x = ids([[0, 3, 3], [1, 2, 0]]);
    const r = gradCheck((w) => embedding(x, w), [randn64([4, 3], 1)]);
    expect(r.ok, JSON.stringify(r)).toBe(true);
    // by design the padding row gets no gradient, so check a padding index that is not looked up
    const r2 = gradCheck((w) => embedding(x, w, 4), [randn64([5, 3], 2)]);
    expect(r2.ok, JSON.stringify(r2)).toBe(true);
  });

  it("names ids and shapes in its errors", () => {
    const w = tensor([[0, 1], [2, 3]]);
    expect(() => embedding(ids([[0, 2]]), w)).toThrow(/embedding: id 2 at flat position 1 is out of range for 2 embeddings \(ids: \[1,2\], weight: \[2,2\]\)/);
    expect(() => embedding(ids([[-1]]), w)).toThrow(/out of range/);
    expect(() => embedding(tensor([0]), w)).toThrow(/embedding: ids must be int32, got 'float32'/);
    expect(() => embedding(ids([[0]]), w, 5)).toThrow(/embedding: paddingIdx 5 must be an integer within numEmbeddings \(2\)/);
  });
});
