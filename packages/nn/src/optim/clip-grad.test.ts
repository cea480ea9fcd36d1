import { tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { Parameter } from "../module/parameter.js";
import { clipGradNorm } from "./clip-grad.js";

function withGrads(...grads: number[][]): Parameter[] {
  return grads.map((g) => {
    const p = new Parameter(tensor(g.map(() => 0), undefined, "float64"));
    p.grad = tensor(g, undefined, "float64");
    return p;
  });
}

describe("clipGradNorm", () => {
  it("returns the total 2-norm and scales by maxNorm / (norm + 1e-6)", () => {
    const ps = withGrads([3, 0], [0, 4]);
    expect(clipGradNorm(ps, 1)).toBe(5);
    const c = 1 / (5 + 1e-6);
    expect([...ps[0]!.grad!.data, ...ps[1]!.grad!.data]).toEqual([3 * c, 0, 0, 4 * c]);
  });

  it("leaves gradients unchanged (coefficient clamped to 1) when under the limit", () => {
    const ps = withGrads([0.3, 0.4]);
    expect(clipGradNorm(ps, 1)).toBeCloseTo(0.5, 15);
    expect([...ps[0]!.grad!.data]).toEqual([0.3, 0.4]);
  });

  it("supports p = 1, 3 and Infinity, and skips parameters without gradients", () => {
    const none = new Parameter(tensor([1]));
    expect(clipGradNorm([...withGrads([1, -2], [3]), none], 100, 1)).toBe(6);
    expect(clipGradNorm(withGrads([1, -2], [3]), 100, 3)).toBeCloseTo(36 ** (1 / 3), 12);
    const ps = withGrads([1, -7], [3]);
    expect(clipGradNorm(ps, 3.5, Infinity)).toBe(7);
    expect(ps[0]!.grad!.data[1]).toBeCloseTo(-3.5, 5);
    expect(clipGradNorm([none], 1)).toBe(0);
    expect(clipGradNorm(withGrads([2])[0]!, 1)).toBe(2);
  });

  it("reports non-finite norms when asked", () => {
    expect(clipGradNorm(withGrads([NaN, 1]), 1)).toBeNaN();
    expect(() => clipGradNorm(withGrads([Infinity]), 1, 2, { errorIfNonfinite: true })).toThrow(/clipGradNorm: the total norm of order 2 .* is non-finite \(Infinity\)/);
    expect(() => clipGradNorm(withGrads([1]), 1, 0)).toThrow(/normType must be > 0/);
  });
});
