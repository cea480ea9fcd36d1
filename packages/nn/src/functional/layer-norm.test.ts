import "@heed/autograd";
import { gradCheck } from "@heed/autograd";
import { mul, sum, tensor, zeros } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { randn64 } from "../../test/utils.js";
import { layerNorm, layerNormComposite } from "./layer-norm.js";

/** Normalise consecutive groups of `n` values with the biased variance, in float64. */
function reference(x: ArrayLike<number>, n: number, w: ArrayLike<number> | null, b: ArrayLike<number> | null, eps: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < x.length / n; r++) {
    let mu = 0;
    for (let i = 0; i < n; i++) mu += x[r * n + i]! / n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (x[r * n + i]! - mu) ** 2 / n;
    for (let i = 0; i < n; i++) out.push(((x[r * n + i]! - mu) / Math.sqrt(v + eps)) * (w?.[i] ?? 1) + (b?.[i] ?? 0));
  }
  return out;
}

describe("layerNorm", () => {
  it("normalises the last dimension with the biased variance, then scales and shifts", () => {
    const x = randn64([2, 3, 4], 1, 3);
    const w = randn64([4], 2);
    const b = randn64([4], 3);
    const y = layerNorm(x, [4], w, b);
    expect(y.shape).toEqual([2, 3, 4]);
    expect(y).toBeAllclose(reference(x.data, 4, w.data, b.data, 1e-5), { rtol: 1e-10, atol: 1e-12 });
  });

  it("normalises over several trailing dims and respects eps", () => {
    const x = randn64([3, 2, 5], 4);
    expect(layerNorm(x, [2, 5], null, null, 0.5)).toBeAllclose(reference(x.data, 10, null, null, 0.5), { rtol: 1e-10, atol: 1e-12 });
  });

  it("is accurate in float32 for large offsets and constant rows", () => {
    const y = layerNorm(tensor([[1e4, 1e4 + 1, 1e4 + 2], [7, 7, 7]]), 3);
    expect(y).toBeAllclose(reference([1e4, 1e4 + 1, 1e4 + 2, 7, 7, 7], 3, null, null, 1e-5), { rtol: 1e-4, atol: 1e-5 });
  });

  it("propagates NaN within its row only, and handles size-1 rows and empty batches", () => {
    const y = layerNorm(tensor([[NaN, 1], [1, 3]]), 2);
    expect([...y.data].slice(0, 2).every(Number.isNaN)).toBe(true);
    expect(y.data[3]).toBeCloseTo(1 / Math.sqrt(1 + 1e-5), 6);
    expect([...layerNorm(tensor([[5], [-2]]), 1).data]).toEqual([0, 0]);
    expect(layerNorm(zeros([0, 4]), 4).shape).toEqual([0, 4]);
  });

  it("has correct gradients for x, weight and bias", () => {
    const r = gradCheck((x, w, b) => layerNorm(x, [4], w, b), [randn64([3, 4], 5), randn64([4], 6), randn64([4], 7)]);
    expect(r.ok, JSON.stringify(r)).toBe(true);
  });

  it("fused kernel agrees with the op composition in values and gradients (float32)", () => {
    const make = () => [randn64([4, 2, 6], 8, 4), randn64([2, 6], 9), randn64([2, 6], 10)].map((t) => tensor([...t.data], t.shape).requiresGrad_());
    const r = randn64([4, 2, 6], 11);
    const rf = tensor([...r.data], r.shape);
    const [x1, w1, b1] = make();
    const [x2, w2, b2] = make();
    const y1 = layerNorm(x1!, [2, 6], w1, b1);
    const y2 = layerNormComposite(x2!, [2, 6], w2, b2);
    expect(y1).toBeAllclose([...y2.data]);
    sum(mul(y1, rf)).backward();
    sum(mul(y2, rf)).backward();
    for (const [a, b] of [[x1, x2], [w1, w2], [b1, b2]]) expect(a!.grad!).toBeAllclose([...b!.grad!.data], { rtol: 1e-4, atol: 1e-5 });
  });

  it("has correct gradients without affine parameters and over two dims", () => {
    const r = gradCheck((x) => layerNorm(x, [2, 3]), [randn64([2, 2, 3], 12)]);
    expect(r.ok, JSON.stringify(r)).toBe(true);
    const r2 = gradCheck((x, w) => layerNorm(x, [3], w), [randn64([2, 3], 13), randn64([3], 14)]);
    expect(r2.ok, JSON.stringify(r2)).toBe(true);
  });

  it("names the shapes in its errors", () => {
    expect(() => layerNorm(zeros([2, 3]), [4])).toThrow(/layerNorm: normalizedShape \[4\] must match the last dimensions of x \[2,3\]/);
    expect(() => layerNorm(zeros([2, 3]), [3], zeros([2]))).toThrow(/layerNorm: weight shape \[2\] must equal normalizedShape \[3\]/);
  });
});
