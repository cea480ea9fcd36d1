/**
 * Finite-difference check of a module's parameter gradients in float64 (gradCheck covers
 * function inputs; this covers the parameters a module closes over): the gradient of
 * Σ f()·r from backward() against central differences, for every element of every parameter.
 */
import { noGrad } from "@heed/autograd";
import type { Module } from "@heed/nn";
import { Generator, mul, randn, sum, type Tensor } from "@heed/tensor-core";

export interface ParamGradFailure {
  name: string;
  index: number;
  analytic: number;
  numeric: number;
}

export function paramGradFailures(module: Module, f: () => Tensor, { eps = 1e-6, rtol = 1e-4, atol = 1e-6 } = {}): ParamGradFailure[] {
  const out = f();
  const r = randn(out.shape, new Generator(0), "float64");
  module.zeroGrad();
  sum(mul(out, r)).backward();
  const objective = (): number => {
    const y = noGrad(f).data;
    let s = 0;
    for (let j = 0; j < y.length; j++) s += y[j]! * r.data[j]!;
    return s;
  };
  const failures: ParamGradFailure[] = [];
  for (const [name, p] of module.namedParameters()) {
    if (p.dtype !== "float64") throw new Error(`paramGradFailures: parameter ${name} is ${p.dtype}; build the module with dtype "float64"`);
    const analytic = p.grad?.data;
    for (let j = 0; j < p.size; j++) {
      const x0 = p.data[j]!;
      p.data[j] = x0 + eps;
      const plus = objective();
      p.data[j] = x0 - eps;
      const minus = objective();
      p.data[j] = x0;
      const numeric = (plus - minus) / (2 * eps);
      const a = analytic?.[j] ?? 0;
      if (!(Math.abs(a - numeric) <= atol + rtol * Math.abs(numeric))) failures.push({ name, index: j, analytic: a, numeric });
    }
  }
  return failures;
}
