import { tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { Parameter } from "../module/parameter.js";
import { SGD } from "./sgd.js";

/** Run `steps` SGD steps on one scalar parameter with a constant gradient of 1. */
function trajectory(options: ConstructorParameters<typeof SGD>[1], steps: number, grad = 1): number[] {
  const p = new Parameter(tensor([1], undefined, "float64"));
  const opt = new SGD([p], options);
  const out: number[] = [];
  for (let s = 0; s < steps; s++) {
    p.grad = tensor([grad], undefined, "float64");
    opt.step();
    out.push(p.data[0]!);
  }
  return out;
}

const close = (got: number[], want: number[]): void => got.forEach((x, i) => expect(x).toBeCloseTo(want[i]!, 12));

describe("SGD (hand-derived trajectories, θ₀ = 1, g = 1, lr = 0.1)", () => {
  it("plain: θ ← θ − lr·g", () => close(trajectory({ lr: 0.1 }, 3), [0.9, 0.8, 0.7]));

  it("momentum 0.9: b = 1, 1.9, 2.71", () => close(trajectory({ lr: 0.1, momentum: 0.9 }, 3), [0.9, 0.71, 0.439]));

  it("dampening 0.5 is not applied on the first step: b = 1, 1.4, 1.76", () => {
    close(trajectory({ lr: 0.1, momentum: 0.9, dampening: 0.5 }, 3), [0.9, 0.76, 0.584]);
  });

  it("nesterov: g + momentum·b = 1.9, 2.71", () => close(trajectory({ lr: 0.1, momentum: 0.9, nesterov: true }, 2), [0.81, 0.539]));

  it("weight decay adds λ·θ to the gradient: θ₁ = 1 − 0.1·(1 + 0.1)", () => {
    close(trajectory({ lr: 0.1, weightDecay: 0.1 }, 2), [0.89, 0.89 - 0.1 * (1 + 0.089)]);
  });

  it("maximize ascends", () => close(trajectory({ lr: 0.1, maximize: true }, 2), [1.1, 1.2]));

  it("momentum with weight decay and maximize combined", () => {
    // g₁ = −1 + 0.1·1 = −0.9, b₁ = −0.9, θ₁ = 1.09; g₂ = −1 + 0.109 = −0.891, b₂ = 0.9·(−0.9) + (−0.891) = −1.701, θ₂ = 1.2601
    close(trajectory({ lr: 0.1, momentum: 0.9, weightDecay: 0.1, maximize: true }, 2), [1.09, 1.2601]);
  });

  it("validates options", () => {
    const p = new Parameter(tensor([1]));
    expect(() => new SGD([p], { lr: -0.1 })).toThrow(/SGD: invalid learning rate -0.1/);
    expect(() => new SGD([p], { lr: 0.1, momentum: -1 })).toThrow(/SGD: invalid momentum -1/);
    expect(() => new SGD([p], { lr: 0.1, nesterov: true })).toThrow(/SGD: nesterov momentum requires momentum > 0 and dampening = 0 \(momentum: 0, dampening: 0\)/);
    expect(() => new SGD([p], { lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true })).toThrow(/nesterov/);
  });

  it("updates float32 storage in place and zeroGrad clears gradients", () => {
    const p = new Parameter(tensor([[1, 2], [3, 4]]));
    const data = p.data;
    const opt = new SGD([p], { lr: 0.5 });
    p.grad = tensor([[1, 1], [2, 2]]);
    opt.step();
    expect(p.data).toBe(data);
    expect([...p.data]).toEqual([0.5, 1.5, 2, 3]);
    opt.zeroGrad();
    expect(p.grad).toBeNull();
  });
});

describe("Optimizer.addParamGroup", () => {
  it("adds a group with defaults filled in and rejects parameters already present", () => {
    const a = new Parameter(tensor([1]));
    const b = new Parameter(tensor([1]));
    const opt = new SGD([a], { lr: 0.1, momentum: 0.5 });
    opt.addParamGroup({ params: [b], lr: 1 });
    expect(opt.paramGroups[1]).toMatchObject({ lr: 1, momentum: 0.5, dampening: 0 });
    b.grad = tensor([1]);
    opt.step();
    expect(b.data[0]).toBe(0);
    expect(() => opt.addParamGroup({ params: [a] })).toThrow(/SGD: a parameter of shape \[1\] appears more than once/);
    expect(() => opt.addParamGroup({ params: [new Parameter(tensor([1]))], lr: -1 })).toThrow(/SGD: invalid learning rate -1/);
  });
});
