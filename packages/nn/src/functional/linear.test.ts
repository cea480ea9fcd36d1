import "@heed/autograd";
import { gradCheck } from "@heed/autograd";
import { add, cast, matmul, reshape, tensor, zeros } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { randn64 } from "../../test/utils.js";
import { linear } from "./linear.js";

/** y[n, o] = Σ_i x[n, i]·w[o, i] + b[o] in float64. */
function reference(x: ArrayLike<number>, w: ArrayLike<number>, b: ArrayLike<number> | null, N: number, I: number, O: number): number[] {
  const out: number[] = [];
  for (let n = 0; n < N; n++) {
    for (let o = 0; o < O; o++) {
      let s = b === null ? 0 : b[o]!;
      for (let i = 0; i < I; i++) s += x[n * I + i]! * w[o * I + i]!;
      out.push(s);
    }
  }
  return out;
}

describe("linear", () => {
  it("maps [B, L, in] to [B, L, out] as x·Wᵀ + b", () => {
    const x = randn64([2, 3, 4], 1);
    const w = randn64([5, 4], 2);
    const b = randn64([5], 3);
    const y = linear(x, w, b);
    expect(y.shape).toEqual([2, 3, 5]);
    expect(y).toBeAllclose(reference(x.data, w.data, b.data, 6, 4, 5), { rtol: 1e-12, atol: 1e-12 });
  });

  it("handles float32, 1-D inputs, no bias and empty batches", () => {
    const w = tensor([[1, 2], [3, 4], [5, 6]]);
    expect(linear(tensor([1, -1]), w).toArray()).toEqual([-1, -1, -1]);
    expect(linear(tensor([[1, 1]]), w, tensor([0.5, 0, -0.5])).toArray()).toEqual([[3.5, 7, 10.5]]);
    expect(linear(zeros([0, 4, 2]), w).shape).toEqual([0, 4, 3]);
  });

  it("has correct gradients for x, weight and bias", () => {
    const r = gradCheck((x, w, b) => linear(x, w, b), [randn64([2, 3, 4], 4), randn64([5, 4], 5), randn64([5], 6)]);
    expect(r.ok, JSON.stringify(r)).toBe(true);
  });

  it("fuses the bias add: same values and gradients as the composition add(matmul(x, W, transB), b)", () => {
    const x = cast(randn64([3, 2, 4], 7), "float32");
    const w = cast(randn64([5, 4], 8), "float32");
    const b = cast(randn64([5], 9), "float32");
    const oracle = add(matmul(reshape(x, [6, 4]), w, { transB: true }), b);
    const y = linear(x, w, b);
    expect(y.shape).toEqual([3, 2, 5]);
    expect(y).toBeAllclose(oracle.data, { rtol: 1e-6, atol: 1e-6 });
    // mixed dtypes take the composed path and promote as add does
    expect(linear(x, w, cast(b, "float64")).dtype).toBe("float64");
  });

  it("names the shapes in its errors", () => {
    expect(() => linear(zeros([2, 3]), zeros([4, 5]))).toThrow(/linear: the last dimension of x \[2,3\] must equal in_features 5 of weight \[4,5\]/);
    expect(() => linear(zeros([2, 3]), zeros([3]))).toThrow(/linear: weight must be \[out, in\], got \[3\]/);
    expect(() => linear(zeros([2, 3]), zeros([4, 3]), zeros([3]))).toThrow(/linear: bias must be \[4\] to match weight \[4,3\], got \[3\]/);
  });
});
