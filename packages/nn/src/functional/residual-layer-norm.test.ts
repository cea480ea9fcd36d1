import "@heed/autograd";
import { gradCheck } from "@heed/autograd";
import { add, cast, Generator, getBackend, mul, setBackend, sum, type Tensor } from "@heed/tensor-core";
import { afterAll, describe, expect, it } from "vitest";
import { randn64 } from "../../test/utils.js";
import { dropout } from "./dropout.js";
import { layerNorm, layerNormComposite } from "./layer-norm.js";
import { residualLayerNorm } from "./residual-layer-norm.js";

const initial = getBackend();
afterAll(() => void setBackend(initial));

const f32 = (t: Tensor): Tensor => cast(t, "float32").requiresGrad_();
type F = (x: Tensor, s: Tensor, w: Tensor, b: Tensor) => Tensor;

/** Value and gradients (x, s, w, b) of Σ f(x, s, w, b)·r for a fixed random r. */
function valueAndGrads(f: F, seed: number): number[][] {
  const [x, s, w, b] = [f32(randn64([3, 5, 16], 1, 2)), f32(randn64([3, 5, 16], 2)), f32(randn64([16], 3)), f32(randn64([16], 4))];
  const y = f(x, s, w, b);
  sum(mul(y, cast(randn64(y.shape as number[], seed), "float32"))).backward();
  return [y, x.grad!, s.grad!, w.grad!, b.grad!].map((t) => Array.from(t.data));
}

describe("residualLayerNorm", () => {
  it.each(["js", "wasm"])("has the bits of layerNorm(x + dropout(s)) with the same seed, values and gradients (%s)", (backend) => {
    expect(setBackend(backend)).toBe(true);
    for (const [p, training] of [[0.3, true], [0.3, false], [0, true]] as const) {
      const composed = valueAndGrads((x, s, w, b) => layerNorm(add(x, dropout(s, p, training, new Generator(5))), [16], w, b), 9);
      const fused = valueAndGrads((x, s, w, b) => residualLayerNorm(x, s, 16, w, b, 1e-5, p, training, new Generator(5)), 9);
      expect(fused).toEqual(composed);
    }
  });

  it("agrees with layer norm composed from primitive ops (float64) and passes gradCheck", () => {
    setBackend("js");
    const [x, s, w, b] = [randn64([2, 3, 4], 1, 2), randn64([2, 3, 4], 2), randn64([4], 3), randn64([4], 4)];
    expect(residualLayerNorm(x, s, [4], w, b)).toBeAllclose(layerNormComposite(add(x, s), [4], w, b), { rtol: 1e-12, atol: 1e-13 });
    for (const [p, affine] of [[0, true], [0.4, true], [0.4, false]] as const) {
      const f = (...t: Tensor[]) => residualLayerNorm(t[0]!, t[1]!, [4], affine ? t[2] : null, affine ? t[3] : null, 1e-5, p, true, new Generator(3));
      const r = gradCheck(f, affine ? [x, s, w, b] : [x, s]);
      expect(r.ok, JSON.stringify(r)).toBe(true);
    }
  });

  it("draws one seed from rng when it drops (as dropout does), none otherwise", () => {
    const [x, s] = [randn64([4, 8], 1), randn64([4, 8], 2)];
    const [g1, g2] = [new Generator(7), new Generator(7)];
    residualLayerNorm(x, s, 8, null, null, 1e-5, 0.2, true, g1);
    dropout(s, 0.2, true, g2);
    expect(g1.nextUint32()).toBe(g2.nextUint32());
    const g3 = new Generator(7);
    residualLayerNorm(x, s, 8, null, null, 1e-5, 0.2, false, g3);
    expect(g3.nextUint32()).toBe(new Generator(7).nextUint32());
  });

  it("falls back to the composition for broadcasting and mixed dtypes; errors name the op", () => {
    const x = randn64([2, 3, 4], 1);
    const s = randn64([3, 4], 2);
    expect(residualLayerNorm(x, s, 4)).toBeAllclose(layerNormComposite(add(x, s), [4]), { rtol: 1e-12, atol: 1e-13 });
    expect(() => residualLayerNorm(x, x, 4, null, null, 1e-5, 1.5)).toThrow(/residualLayerNorm: probability p must be in \[0, 1\], got 1.5 \(x: \[2,3,4\]\)/);
    expect(() => residualLayerNorm(x, x, 5)).toThrow(/layerNorm: normalizedShape \[5\] must match the last dimensions of x \[2,3,4\]/);
  });
});
