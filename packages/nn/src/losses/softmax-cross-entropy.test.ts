import "@heed/autograd";
import { gradCheck } from "@heed/autograd";
import { getBackend, hasNativeFusedKernel, randn, Generator, setBackend, tensor, type Tensor } from "@heed/tensor-core";
import { afterAll, describe, expect, it } from "vitest";
import { randn64 } from "../../test/utils.js";
import { crossEntropy, crossEntropyComposite, type CrossEntropyOptions } from "./cross-entropy.js";

const int = (v: number[], shape?: number[]) => tensor(v, shape, "int32");

/** Loss value and d loss/d logits (the upstream gradient of 'none' is 1, 2, 3, …). */
function lossAndGrad(f: typeof crossEntropy, x0: Tensor, t: Tensor, o: CrossEntropyOptions): { loss: Tensor; grad: Tensor } {
  const x = x0.clone().requiresGrad_();
  const loss = f(x, t, o);
  const seed = tensor(Array.from({ length: loss.size }, (_, i) => i + 1), loss.shape, loss.dtype);
  loss.backward(seed);
  return { loss, grad: x.grad! };
}

const initial = getBackend();
afterAll(() => void setBackend(initial));

describe.each(["js", "wasm"])("crossEntropy's fused path vs the composition (%s backend)", (backend) => {
  setBackend(backend);
  const combos: [string, CrossEntropyOptions][] = [];
  for (const ignoreIndex of [-100, 2]) {
    for (const labelSmoothing of [0, 0.1, 1]) {
      for (const reduction of ["mean", "sum", "none"] as const) combos.push([`ignoreIndex=${ignoreIndex} labelSmoothing=${labelSmoothing} ${reduction}`, { ignoreIndex, labelSmoothing, reduction }]);
    }
  }
  const T = (o: CrossEntropyOptions) => int([3, 0, 2, 2, 1, o.ignoreIndex!, 4, 0]);

  it.each(combos)("float64 %s: equal to 1e-12", (_n, o) => {
    setBackend(backend);
    const x = randn64([8, 5], 7, 3);
    const fused = lossAndGrad(crossEntropy, x, T(o), o);
    const composed = lossAndGrad(crossEntropyComposite, x, T(o), o);
    expect(fused.loss.shape).toEqual(composed.loss.shape);
    expect(fused.loss).toBeAllclose(composed.loss, { rtol: 1e-12, atol: 1e-14 });
    expect(fused.grad).toBeAllclose(composed.grad, { rtol: 1e-12, atol: 1e-14 });
  });

  it.each(combos)("float32 %s: within float32 rounding", (_n, o) => {
    setBackend(backend);
    const x = randn([8, 5], new Generator(8));
    const fused = lossAndGrad(crossEntropy, x, T(o), o);
    const composed = lossAndGrad(crossEntropyComposite, x, T(o), o);
    expect(fused.loss.dtype).toBe("float32");
    expect(fused.loss).toBeAllclose(composed.loss, { rtol: 1e-5, atol: 1e-6 });
    expect(fused.grad).toBeAllclose(composed.grad, { rtol: 1e-5, atol: 1e-6 });
  });

  it("[N, C, d1, d2] logits with 'none' keep the target's shape and match", () => {
    setBackend(backend);
    const x = randn64([2, 4, 3, 2], 5);
    const t = int([0, 3, 1, -100, 2, 2, 3, 3, 0, 1, -100, 1], [2, 3, 2]);
    for (const reduction of ["none", "mean"] as const) {
      const fused = lossAndGrad(crossEntropy, x, t, { labelSmoothing: 0.2, reduction });
      const composed = lossAndGrad(crossEntropyComposite, x, t, { labelSmoothing: 0.2, reduction });
      expect(fused.loss.shape).toEqual(reduction === "none" ? [2, 3, 2] : []);
      expect(fused.loss).toBeAllclose(composed.loss, { rtol: 1e-12, atol: 1e-14 });
      expect(fused.grad).toBeAllclose(composed.grad, { rtol: 1e-12, atol: 1e-14 });
    }
  });
});

describe("crossEntropy's fused path: gradients and edge cases", () => {
  it("is one recorded node that passes a float64 finite-difference gradCheck", () => {
    expect(hasNativeFusedKernel("softmaxCrossEntropy")).toBe(false); // one TypeScript kernel on every backend
    for (const o of [{ ignoreIndex: 1, labelSmoothing: 0.1 }, { labelSmoothing: 0.3, reduction: "sum" as const }, { reduction: "none" as const }, { labelSmoothing: 1 }]) {
      const r = gradCheck((x) => crossEntropy(x, int([3, 0, 1, 2, 1]), o), [randn64([5, 4], 3, 3)]);
      expect(r.ok, JSON.stringify(r)).toBe(true);
    }
  });

  it("every target ignored: 'mean' is NaN with a zero gradient, 'sum' is 0", () => {
    const x = randn64([3, 4], 1).requiresGrad_();
    const loss = crossEntropy(x, int([-100, -100, -100]), { labelSmoothing: 0.1 });
    expect(Number.isNaN(loss.item())).toBe(true);
    loss.backward();
    expect([...x.grad!.data].every((v) => v === 0)).toBe(true);
    expect(crossEntropy(x, int([-100, -100, -100]), { reduction: "sum" }).item()).toBe(0);
  });

  it("NaN logits give NaN; logits of ±1e4 stay finite", () => {
    expect(Number.isNaN(crossEntropy(tensor([[0, NaN, 1]]), int([0])).item())).toBe(true);
    expect(Number.isFinite(crossEntropy(tensor([[1e4, -1e4, 0], [-1e4, 1e4, 0]]), int([1, 1]), { labelSmoothing: 0.1 }).item())).toBe(true);
  });

  it("out-of-range targets name the op, position and class count", () => {
    expect(() => crossEntropy(randn64([2, 3], 1), int([0, -1]))).toThrow(/crossEntropy: target -1 at flat position 1 is out of range for 3 classes \(ignoreIndex -100\)/);
  });
});
