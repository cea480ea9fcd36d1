import { afterAll, describe, expect, it } from "vitest";
import { getBackend, setBackend } from "../backend/registry.js";
import { randn } from "../create.js";
import { add } from "../ops/elementwise/index.js";
import { generator } from "../random.js";
import { Tensor } from "../tensor.js";
import { dropoutReference } from "./dropout.js";
import { layerNormBackwardReference, layerNormForwardReference } from "./layer-norm.js";
import { residualLayerNormBackwardReference, residualLayerNormForwardReference } from "./residual-layer-norm.js";

const r32 = (n: number, s: number): Float32Array => randn([n], generator(s)).data as Float32Array;
const initial = getBackend();
afterAll(() => void setBackend(initial));

describe("residualLayerNorm kernels (reference)", () => {
  const [R, D] = [6, 10];
  const x = r32(R * D, 1);
  const s = r32(R * D, 2);
  const weight = r32(D, 3);
  const bias = r32(D, 4);
  const g = r32(R * D, 5);

  it("forward is layerNorm(x + dropout(s)) of the reference kernels, bit for bit; backward dh and dropout(dh)", () => {
    setBackend("js");
    for (const [p, affine] of [[0, true], [0.25, true], [0.9, false]] as const) {
      const w = affine ? weight : null;
      const b = affine ? bias : null;
      const dropped = p > 0 ? dropoutReference({ x: s, p, seed: 7 }) : s;
      const h = add(new Tensor(x, [R, D]), new Tensor(dropped, [R, D])).data as Float32Array;
      const want = layerNormForwardReference({ x: h, D, weight: w, bias: b, eps: 1e-5 });
      const got = residualLayerNormForwardReference({ x, sublayer: s, D, weight: w, bias: b, eps: 1e-5, p, seed: 7 });
      expect([...got.sum]).toEqual([...h]);
      expect([...got.out]).toEqual([...want.out]);
      expect([...got.rstd]).toEqual([...want.rstd]);
      const wantB = layerNormBackwardReference({ x: h, D, weight: w, mean: want.mean, rstd: want.rstd, gradOut: g });
      const gotB = residualLayerNormBackwardReference({ sum: got.sum, D, weight: w, mean: got.mean, rstd: got.rstd, gradOut: g, p, seed: 7 });
      expect([...gotB.dx]).toEqual([...wantB.dx]);
      expect([...gotB.dsublayer]).toEqual([...(p > 0 ? dropoutReference({ x: wantB.dx, p, seed: 7 }) : wantB.dx)]);
      expect([...gotB.dbias]).toEqual([...wantB.dbias]);
      expect(gotB.dweight === null ? null : [...gotB.dweight]).toEqual(wantB.dweight === null ? null : [...wantB.dweight]);
    }
  });

  it("keeps float64 in float64 and handles zero rows", () => {
    const x64 = Float64Array.from(x);
    const got = residualLayerNormForwardReference({ x: x64, sublayer: Float64Array.from(s), D, weight: null, bias: null, eps: 1e-5, p: 0.1, seed: 1 });
    expect(got.out).toBeInstanceOf(Float64Array);
    expect(got.sum).toBeInstanceOf(Float64Array);
    const empty = residualLayerNormForwardReference({ x: new Float32Array(0), sublayer: new Float32Array(0), D, weight: null, bias: null, eps: 1e-5, p: 0.1, seed: 1 });
    expect(empty.out.length).toBe(0);
  });
});
