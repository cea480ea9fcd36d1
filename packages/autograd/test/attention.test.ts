import { cast, Generator, matmul, maskedFill, mul, ones, randn, softmax, triu, type Tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { gradCheck } from "@heed/autograd";

const [B, H, L, D] = [2, 2, 3, 4];

/** Causal scaled dot-product attention from primitives: softmax(Q·Kᵀ/√D, masked with −∞)·V. */
function attention(q: Tensor, k: Tensor, v: Tensor): Tensor {
  const future = cast(triu(ones([L, L]), 1), "bool"); // [L, S] true above the diagonal
  const scores = maskedFill(mul(matmul(q, k, { transB: true }), 1 / Math.sqrt(D)), future, -Infinity);
  return matmul(softmax(scores, -1), v); // [B, H, L, D]
}

describe("composed attention", () => {
  it("causal attention with −∞ masking passes gradCheck for q, k and v", () => {
    const rng = new Generator(11);
    const [q, k, v] = [0, 1, 2].map(() => randn([B, H, L, D], rng, "float64")) as [Tensor, Tensor, Tensor];
    const r = gradCheck(attention, [q, k, v]);
    expect(r.ok, JSON.stringify(r)).toBe(true);
  });

  it("keys and values shared across heads (broadcast batch dims) get summed gradients", () => {
    const rng = new Generator(12);
    const r = gradCheck(attention, [randn([B, H, L, D], rng, "float64"), randn([B, 1, L, D], rng, "float64"), randn([L, D], rng, "float64")]);
    expect(r.ok, JSON.stringify(r)).toBe(true);
    expect(r.maxAbsError).toBeLessThan(1e-6);
  });
});
