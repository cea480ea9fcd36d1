import { tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { rnd } from "../../test/utils/reference.js";
import { dotProductAttention, scaledDotProductAttention } from "./sdpa.js";

describe("attention argument errors name the function, the argument and the shapes", () => {
  const q = rnd([2, 3, 4], 1);
  const k = rnd([2, 5, 4], 2);
  const v = rnd([2, 5, 6], 3);
  it("query/key width mismatch", () => {
    expect(() => scaledDotProductAttention(q, rnd([2, 5, 3], 2), v)).toThrow(/^scaledDotProductAttention: query width E=4 and key width E=3 differ \(query: \[2,3,4\], key: \[2,5,3\], value: \[2,5,6\]\)/);
  });
  it("key/value length mismatch", () => {
    expect(() => dotProductAttention(q, k, rnd([2, 4, 6], 3))).toThrow(/^dotProductAttention: key length S=5 and value length S=4 differ/);
  });
  it("mask that cannot broadcast to [..., L, S]", () => {
    expect(() => scaledDotProductAttention(q, k, v, { attnMask: rnd([3, 4], 4) })).toThrow(/attnMask of shape \[3,4\] cannot be broadcast to the attention weights' shape \[\.\.\., L, S\] = \[2,3,5\]/);
    expect(() => scaledDotProductAttention(q, k, v, { attnMask: rnd([4, 3, 5], 4) })).toThrow(/attnMask of shape \[4,3,5\]/);
  });
  it("mask of the wrong dtype", () => {
    expect(() => scaledDotProductAttention(q, k, v, { attnMask: tensor([1, 0, 1, 1, 0], undefined, "int32") })).toThrow(/attnMask must be bool .* got dtype 'int32' with shape \[5\]/);
  });
  it("isCausal with attnMask, like PyTorch", () => {
    expect(() => scaledDotProductAttention(q, k, v, { isCausal: true, attnMask: tensor([true, true, true, true, true]) })).toThrow(/isCausal and attnMask cannot both be set/);
  });
  it("leading dims that do not broadcast, low rank, int inputs, bad dropout, weights with memoryEfficient", () => {
    expect(() => scaledDotProductAttention(rnd([3, 3, 4], 1), k, v)).toThrow(/leading \(batch\) dims .* \(query: \[3,3,4\]/);
    expect(() => scaledDotProductAttention(rnd([4], 1), k, v)).toThrow(/query must have at least 2 dimensions/);
    expect(() => scaledDotProductAttention(tensor([[1, 2]], undefined, "int32"), k, v)).toThrow(/query must be float32 or float64, got dtype 'int32'/);
    expect(() => scaledDotProductAttention(q, k, v, { dropoutP: 1.5 })).toThrow(/dropoutP must be in \[0, 1\], got 1.5/);
    expect(() => scaledDotProductAttention(q, k, v, { returnWeights: true, implementation: "memoryEfficient" })).toThrow(/returnWeights needs the \[\.\.\., L, S\] = \[2,3,5\] weights/);
  });
});
