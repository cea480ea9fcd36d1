import { afterAll, describe, expect, it } from "vitest";
import { randn } from "../../create.js";
import { generator } from "../../random.js";
import { fusedKernelFor, getBackend, referenceFusedKernel, setBackend } from "../registry.js";

const initial = getBackend();
afterAll(() => void setBackend(initial));

/** |a − e| <= atol + rtol·|e| elementwise. */
function close(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, rtol = 1e-4, atol = 1e-5): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!(Math.abs(actual[i]! - expected[i]!) <= atol + rtol * Math.abs(expected[i]!))) expect.fail(`${what} index ${i}: got ${actual[i]}, expected ${expected[i]}`);
  }
}

describe("wasm layer norm kernels against the float64 reference", () => {
  const f32 = (shape: number[], seed: number, shift = 0): Float32Array => Float32Array.from(randn(shape, generator(seed)).data, (v) => v * 2 + shift);
  it.each([
    [1, 1], [3, 3], [2, 4], [5, 5], [7, 17], [33, 128], [4, 129],
  ])("rows %d × D %d, with and without weight and bias", (R, D) => {
    expect(setBackend("wasm")).toBe(true);
    for (const affine of [true, false]) {
      const x = f32([R, D], 1, 3); // an offset mean, as activations have
      const weight = affine ? f32([D], 2) : null;
      const bias = affine ? f32([D], 3) : null;
      const gradOut = f32([R, D], 4);
      const args = { x, D, weight, bias, eps: 1e-5 };
      const want = referenceFusedKernel("layerNormForward")(args);
      const got = fusedKernelFor("layerNormForward")(args);
      expect(got.out).toBeInstanceOf(Float32Array);
      close(got.out, want.out, "out");
      close(got.mean, want.mean, "mean");
      close(got.rstd, want.rstd, "rstd");
      const bw = { x, D, weight, gradOut };
      const wantB = referenceFusedKernel("layerNormBackward")({ ...bw, mean: want.mean, rstd: want.rstd });
      const gotB = fusedKernelFor("layerNormBackward")({ ...bw, mean: got.mean, rstd: got.rstd });
      close(gotB.dx, wantB.dx, "dx", 1e-4, 1e-4);
      close(gotB.dbias, wantB.dbias, "dbias", 1e-4, 1e-4);
      if (affine) close(gotB.dweight!, wantB.dweight!, "dweight", 1e-4, 1e-4);
      else expect(gotB.dweight).toBeNull();
    }
  });

  it("float64 data takes the reference", () => {
    setBackend("wasm");
    const x = Float64Array.from([1, 2, 3, 4, 5, 7]);
    const r = fusedKernelFor("layerNormForward")({ x, D: 3, weight: null, bias: null, eps: 1e-5 });
    expect(r.out).toBeInstanceOf(Float64Array);
    expect(r.out[0]).toBeCloseTo(-Math.sqrt(1.5) / Math.sqrt(1 + 1.5e-5), 6);
  });
});
