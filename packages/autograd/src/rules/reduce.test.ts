import {
  argmax, logSoftmax, logSumExp, max, mean, min, softmax, std, sum, tensor, variance, type Tensor,
} from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { expectGradOk, normal } from "../../test/helpers.js";
import { grad } from "../index.js";

const CASES: [number[], number | number[] | undefined][] = [[[2, 3, 4], 1], [[2, 3, 4], [0, 2]], [[2, 3, 4], undefined], [[5], 0], [[], undefined], [[3, 1], -1]];

describe("reduction gradient rules", () => {
  for (const [name, f] of [["sum", sum], ["max", max], ["min", min], ["mean", mean], ["logSumExp", logSumExp]] as const) {
    it(`${name} passes gradCheck with and without keepDims`, () => {
      CASES.forEach(([shape, axes], i) => {
        for (const keepDims of [false, true]) expectGradOk((x) => f(x, axes, keepDims), [normal(shape, 40 + i)]);
      });
    });
  }

  it("variance and std pass gradCheck", () => {
    expectGradOk((x) => variance(x, 1), [normal([3, 4], 1)]);
    expectGradOk((x) => std(x, [0, 1], { correction: 0, keepDims: true }), [normal([3, 4], 2)]);
  });

  it("max and min split the gradient evenly among tied extremes (like torch.amax)", () => {
    const x = tensor([[1, 3, 3], [2, 2, 2]], undefined, "float64");
    expect(grad((t: Tensor) => sum(max(t, 1)), 0)(x).toArray()).toEqual([[0, 0.5, 0.5], [1 / 3, 1 / 3, 1 / 3]]);
    expect(grad((t: Tensor) => min(t), 0)(x).toArray()).toEqual([[1, 0, 0], [0, 0, 0]]);
  });

  it("softmax and logSoftmax pass gradCheck on every axis", () => {
    for (const axis of [0, 1, -1]) {
      expectGradOk((x) => softmax(x, axis), [normal([3, 4, 2], 5)]);
      expectGradOk((x) => logSoftmax(x, axis), [normal([3, 4, 2], 6)]);
    }
    expectGradOk((x) => softmax(x), [normal([1], 7)]);
  });

  it("softmax gradients are stable for large logits", () => {
    const g = grad((x: Tensor) => sum(logSoftmax(x)), 0)(tensor([1e4, 0, -1e4]));
    expect(Array.from(g.data).every(Number.isFinite)).toBe(true);
    expect(g.data[0]).toBeCloseTo(-2, 5);
  });

  it("argmax is not differentiable", () => {
    const i = argmax(tensor([1, 3, 2]).requiresGrad_());
    expect(i.requiresGrad).toBe(false);
  });
});
