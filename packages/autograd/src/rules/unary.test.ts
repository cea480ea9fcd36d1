import {
  abs, cast, clamp, cos, erf, exp, gelu, log, neg, relu, rsqrt, sigmoid, sin, sqrt, sum, tanh, tensor,
  type Tensor,
} from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { expectGradOk, normal, positive } from "../../test/helpers.js";
import { grad } from "../index.js";

const SHAPES = [[], [5], [2, 1, 3], [1, 4]];
type Unary = (x: Tensor) => Tensor;

describe("unary gradient rules", () => {
  const anyInput: [string, Unary][] = [
    ["neg", neg], ["abs", abs], ["exp", exp], ["sin", sin], ["cos", cos], ["tanh", tanh], ["sigmoid", sigmoid],
    ["relu", relu], ["erf", erf], ["gelu", (x) => gelu(x)], ["gelu tanh", (x) => gelu(x, { approximate: "tanh" })],
    ["clamp", (x) => clamp(x, -0.5, 0.7)], ["clamp min", (x) => clamp(x, -0.3)], ["clamp max", (x) => clamp(x, null, 0.2)],
    ["cast float64→float32→float64", (x) => cast(cast(x, "float32"), "float64")],
  ];
  const positiveInput: [string, Unary][] = [["log", log], ["sqrt", sqrt], ["rsqrt", rsqrt]];

  for (const [name, f] of anyInput) {
    it(`${name} passes gradCheck`, () => SHAPES.forEach((s, i) => expectGradOk(f, [normal(s, 10 + i)], name.startsWith("cast") ? { eps: 1e-2, rtol: 1e-3, atol: 1e-4 } : {})));
  }
  for (const [name, f] of positiveInput) {
    it(`${name} passes gradCheck`, () => SHAPES.forEach((s, i) => expectGradOk(f, [positive(s, 20 + i)])));
  }

  it("abs and relu have gradient 0 at 0 (PyTorch's subgradient)", () => {
    const x = tensor([-2, 0, 3]);
    expect(grad((t: Tensor) => sum(abs(t)), 0)(x).toArray()).toEqual([-1, 0, 1]);
    expect(grad((t: Tensor) => sum(relu(t)), 0)(x).toArray()).toEqual([0, 0, 1]);
  });

  it("clamp passes the gradient where min ≤ x ≤ max, boundaries included", () => {
    const x = tensor([-2, -1, 0, 1, 2]);
    expect(grad((t: Tensor) => sum(clamp(t, -1, 1)), 0)(x).toArray()).toEqual([0, 1, 1, 1, 0]);
    expect(grad((t: Tensor) => sum(clamp(t, null, 1)), 0)(x).toArray()).toEqual([1, 1, 1, 1, 0]);
  });

  it("float32 gradients have the input's dtype", () => {
    const x = tensor([0.5, 1.5]);
    const g = grad((t: Tensor) => sum(exp(t)), 0)(x);
    expect(g.dtype).toBe("float32");
    expect(g.data[1]).toBeCloseTo(Math.exp(1.5), 5);
  });

  it("cast to int32 is not differentiable: nothing is recorded", () => {
    const x = tensor([1.5, 2.5]).requiresGrad_();
    const i = cast(x, "int32");
    expect(i.requiresGrad).toBe(false);
    expect(i.gradFn).toBeNull();
  });
});
