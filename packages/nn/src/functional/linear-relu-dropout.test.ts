import "@heed/autograd";
import { gradCheck } from "@heed/autograd";
import { cast, Generator, getBackend, relu, setBackend, sum, mul, type Tensor } from "@heed/tensor-core";
import { afterAll, describe, expect, it } from "vitest";
import { randn64 } from "../../test/utils.js";
import { dropout } from "./dropout.js";
import { linear } from "./linear.js";
import { linearReluDropout } from "./linear-relu-dropout.js";

const initial = getBackend();
afterAll(() => void setBackend(initial));

const f32 = (t: Tensor): Tensor => cast(t, "float32").requiresGrad_();

/** Value and gradients (x, w, b) of Σ f(x, w, b)·r for a fixed random r. */
function valueAndGrads(f: (x: Tensor, w: Tensor, b: Tensor) => Tensor, seed: number): number[][] {
  const [x, w, b] = [f32(randn64([3, 7, 16], 1)), f32(randn64([24, 16], 2, 0.3)), f32(randn64([24], 3))];
  const y = f(x, w, b);
  const r = cast(randn64(y.shape as number[], seed), "float32");
  sum(mul(y, r)).backward();
  return [Array.from(y.data), Array.from(x.grad!.data), Array.from(w.grad!.data), Array.from(b.grad!.data)];
}

describe("linearReluDropout", () => {
  it.each(["js", "wasm"])("has the bits of dropout(relu(linear(x, W, b))) with the same seed, values and gradients (%s)", (backend) => {
    expect(setBackend(backend)).toBe(true);
    for (const [p, training] of [[0.3, true], [0.3, false], [0, true]] as const) {
      const composed = valueAndGrads((x, w, b) => dropout(relu(linear(x, w, b)), p, training, new Generator(5)), 9);
      const fused = valueAndGrads((x, w, b) => linearReluDropout(x, w, b, p, training, new Generator(5)), 9);
      expect(fused).toEqual(composed);
    }
  });

  it("draws one seed from rng when it drops (as dropout does), none otherwise", () => {
    const [x, w, b] = [f32(randn64([4, 8], 1)), f32(randn64([6, 8], 2)), f32(randn64([6], 3))];
    const [g1, g2] = [new Generator(7), new Generator(7)];
    linearReluDropout(x, w, b, 0.2, true, g1);
    dropout(relu(linear(x, w, b)), 0.2, true, g2);
    expect(g1.nextUint32()).toBe(g2.nextUint32());
    const g3 = new Generator(7);
    linearReluDropout(x, w, b, 0.2, false, g3);
    expect(g3.nextUint32()).toBe(new Generator(7).nextUint32());
  });

  it("passes gradCheck in float64 for x, weight and bias (a fixed mask)", () => {
    for (const p of [0.4, 0]) {
      const r = gradCheck((x, w, b) => linearReluDropout(x, w, b, p, true, new Generator(11)), [randn64([2, 3, 5], 4), randn64([6, 5], 5), randn64([6], 6)]);
      expect(r.ok, JSON.stringify(r)).toBe(true);
    }
  });

  it("is the composition without a bias, with p = 1 and for empty batches", () => {
    const x = f32(randn64([2, 4], 1));
    const w = f32(randn64([3, 4], 2));
    expect(linearReluDropout(x, w, null, 0.5, true, new Generator(1)).toArray()).toEqual(dropout(relu(linear(x, w)), 0.5, true, new Generator(1)).toArray());
    expect(linearReluDropout(x, w, f32(randn64([3], 3)), 1, true).toArray()).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(linearReluDropout(f32(randn64([0, 4], 1)), w, f32(randn64([3], 3)), 0.1).shape).toEqual([0, 3]);
  });

  it("names itself, the shapes and p in its errors", () => {
    const x = f32(randn64([2, 4], 1));
    expect(() => linearReluDropout(x, f32(randn64([3, 5], 2)), null)).toThrow("linearReluDropout: expected x [..., in], weight [out, in] and bias [out] or null, got x [2,4], weight [3,5], bias null");
    expect(() => linearReluDropout(x, f32(randn64([3, 4], 2)), f32(randn64([2], 3)))).toThrow("bias [2]");
    expect(() => linearReluDropout(x, f32(randn64([3, 4], 2)), null, 1.5)).toThrow("linearReluDropout: probability p must be in [0, 1], got 1.5 (x: [2,4])");
  });
});
