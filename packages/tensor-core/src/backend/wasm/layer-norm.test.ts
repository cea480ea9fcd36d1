import { afterAll, describe, expect, it } from "vitest";
import { randn } from "../../create.js";
import { generator } from "../../random.js";
import { fusedKernelFor, getBackend, referenceFusedKernel, setBackend } from "../registry.js";

const initial = getBackend();
afterAll(() => void setBackend(initial));

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
      expect(got.out, "out").toBeAllclose(want.out);
      expect(got.mean, "mean").toBeAllclose(want.mean);
      expect(got.rstd, "rstd").toBeAllclose(want.rstd);
      const bw = { x, D, weight, gradOut };
      const wantB = referenceFusedKernel("layerNormBackward")({ ...bw, mean: want.mean, rstd: want.rstd });
      const gotB = fusedKernelFor("layerNormBackward")({ ...bw, mean: got.mean, rstd: got.rstd });
      expect(gotB.dx, "dx").toBeAllclose(wantB.dx, { rtol: 1e-4, atol: 1e-4 });
      expect(gotB.dbias, "dbias").toBeAllclose(wantB.dbias, { rtol: 1e-4, atol: 1e-4 });
      if (affine) expect(gotB.dweight!, "dweight").toBeAllclose(wantB.dweight!, { rtol: 1e-4, atol: 1e-4 });
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
