import { afterAll, describe, expect, it } from "vitest";
import { randn } from "../../create.js";
import { add } from "../../ops/elementwise/index.js";
import { generator } from "../../random.js";
import { Tensor } from "../../tensor.js";
import { fusedKernelFor, getBackend, hasNativeFusedKernel, referenceFusedKernel, setBackend } from "../registry.js";

const initial = getBackend();
afterAll(() => void setBackend(initial));

describe("wasm residual + dropout + layer norm kernels", () => {
  const f32 = (n: number, seed: number, shift = 0): Float32Array => Float32Array.from(randn([n], generator(seed)).data, (v) => v * 2 + shift);
  it.each([
    [1, 1], [3, 5], [7, 17], [33, 128], [4, 129],
  ])("rows %d × D %d: the wasm dropout, add and layer-norm kernels' bits; the reference's values", (R, D) => {
    expect(setBackend("wasm")).toBe(true);
    expect(hasNativeFusedKernel("residualLayerNormForward")).toBe(true);
    for (const [p, affine] of [[0, true], [0.1, true], [0.5, false]] as const) {
      const x = f32(R * D, 1, 3);
      const sublayer = f32(R * D, 2);
      const weight = affine ? f32(D, 3) : null;
      const bias = affine ? f32(D, 4) : null;
      const gradOut = f32(R * D, 5);
      const args = { x, sublayer, D, weight, bias, eps: 1e-5, p, seed: 9 };
      const got = fusedKernelFor("residualLayerNormForward")(args);
      // the composition on the same backend: dropout, add, layer norm as three calls
      const dropped = p > 0 ? fusedKernelFor("dropout")({ x: sublayer, p, seed: 9 }) : sublayer;
      const h = add(new Tensor(x, [R, D]), new Tensor(dropped, [R, D])).data as Float32Array;
      const ln = fusedKernelFor("layerNormForward")({ x: h, D, weight, bias, eps: 1e-5 });
      expect(got.out).toBeInstanceOf(Float32Array);
      expect([...got.sum], "sum").toEqual([...h]);
      expect([...got.out], "out").toEqual([...ln.out]);
      const bw = { sum: got.sum, D, weight, mean: got.mean, rstd: got.rstd, gradOut, p, seed: 9 };
      const gotB = fusedKernelFor("residualLayerNormBackward")(bw);
      const lnB = fusedKernelFor("layerNormBackward")({ x: h, D, weight, mean: ln.mean, rstd: ln.rstd, gradOut });
      expect([...gotB.dx], "dx").toEqual([...lnB.dx]);
      expect([...gotB.dsublayer], "dsublayer").toEqual([...(p > 0 ? fusedKernelFor("dropout")({ x: lnB.dx, p, seed: 9 }) : lnB.dx)]);
      expect([...gotB.dbias], "dbias").toEqual([...lnB.dbias]);
      // and the float64-accumulating reference's values
      const want = referenceFusedKernel("residualLayerNormForward")(args);
      expect(got.out, "out vs reference").toBeAllclose(want.out);
      const wantB = referenceFusedKernel("residualLayerNormBackward")({ ...bw, mean: want.mean, rstd: want.rstd, sum: want.sum });
      expect(gotB.dsublayer, "dsublayer vs reference").toBeAllclose(wantB.dsublayer, { rtol: 1e-4, atol: 1e-4 });
      if (affine) expect(gotB.dweight!, "dweight vs reference").toBeAllclose(wantB.dweight!, { rtol: 1e-4, atol: 1e-4 });
    }
  });

  it("float64 data takes the reference", () => {
    setBackend("wasm");
    const x = Float64Array.from([1, 2, 3, 4, 5, 7]);
    const r = fusedKernelFor("residualLayerNormForward")({ x, sublayer: new Float64Array(6), D: 3, weight: null, bias: null, eps: 1e-5, p: 0, seed: 0 });
    expect(r.out).toBeInstanceOf(Float64Array);
    expect(r.out[0]).toBeCloseTo(-Math.sqrt(1.5) / Math.sqrt(1 + 1.5e-5), 6);
  });
});
