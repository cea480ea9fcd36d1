// The README's examples, run as written (black-box, through the package name).
import {
  exp, Generator, matmul, mean, mul, randn, softmax, square, sub, sum, tensor, type Tensor,
} from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { customVjp, grad, gradCheck, noGrad, valueAndGrad, vjp, zeroGrad } from "@heed/autograd";

describe("README examples", () => {
  it("PyTorch habits", () => {
    const rng = new Generator(0);
    const x = randn([8, 4], rng);
    const y = randn([8, 2], rng);
    const w = randn([4, 2], rng).requiresGrad_();
    const first = mean(square(sub(matmul(x, w), y))).item();
    for (let step = 0; step < 100; step++) {
      zeroGrad([w]);
      const loss = mean(square(sub(matmul(x, w), y)));
      loss.backward();
      const g = w.grad!.data;
      for (let i = 0; i < g.length; i++) w.data[i] = w.data[i]! - 0.1 * g[i]!;
    }
    const pred = noGrad(() => matmul(x, w));
    expect(pred.requiresGrad).toBe(false);
    expect(mean(square(sub(pred, y))).item()).toBeLessThan(first);
  });

  it("JAX habits", () => {
    const loss = (w: Tensor, x: Tensor, y: Tensor): Tensor => sum(square(sub(mul(w, x), y)));
    const w = tensor([1, 2]), x = tensor([3, 4]), y = tensor([0, 0]);
    const [dw, dx, dy] = grad(loss)(w, x, y);
    expect([dw!.toArray(), dx!.toArray(), dy!.toArray()]).toEqual([[18, 64], [6, 32], [-6, -16]]);
    expect(grad(loss, 0)(w, x, y).toArray()).toEqual([18, 64]);
    const [value, [dw2]] = valueAndGrad(loss, [0])(w, x, y);
    expect(value.item()).toBe(73);
    expect(dw2!.toArray()).toEqual([18, 64]);
    const { output, grads } = vjp((a, b) => mul(a, b), [w, x], tensor([1, 10]));
    expect(output.toArray()).toEqual([3, 8]);
    expect(grads.map((g) => g.toArray())).toEqual([[3, 40], [1, 20]]);
  });

  it("gradCheck", () => {
    const r = gradCheck((x) => softmax(x, -1), [randn([3, 5], new Generator(1))], { eps: 1e-6, rtol: 1e-4, atol: 1e-6 });
    expect(r.ok).toBe(true);
    expect(r.maxAbsError).toBeLessThan(1e-8);
    expect(r.worst).not.toBeNull();
  });

  it("customVjp", () => {
    const scaledExp = customVjp(
      (x: Tensor, y: Tensor) => { const e = exp(y); return { output: mul(x, e), saved: e }; },
      (e, g, [x], needsGrad) => [needsGrad[0] ? mul(g, e) : null, needsGrad[1] ? mul(mul(g, x!), e) : null],
    );
    const [dx, dy] = grad((x: Tensor, y: Tensor) => sum(scaledExp(x, y)))(tensor([2]), tensor([0]));
    expect([dx!.item(), dy!.item()]).toEqual([1, 2]);
  });
});
