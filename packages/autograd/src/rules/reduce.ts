import { cast, div, equal, exp, expand, mul, reshape, sub, sum, type Tensor } from "@heed/tensor-core";
import { nonDifferentiable, type RulesFor } from "./types.js";

type Reduce = "sum" | "max" | "min" | "argmax" | "argmin" | "softmax" | "logSoftmax";

/** `t` (a reduction result) reshaped to keep the reduced axes as size 1, so it broadcasts against the input. */
function kept(t: Tensor, x: Tensor, axes: readonly number[], keepDims: boolean): Tensor {
  return keepDims ? t : reshape(t, x.shape.map((d, i) => (axes.includes(i) ? 1 : d)));
}

// d amax: the gradient goes to the entries equal to the extreme value, split evenly among ties (torch.amax)
function extremeRule(g: Tensor, x: Tensor, y: Tensor, axes: number[], keepDims: boolean): Tensor {
  const hit = cast(equal(x, kept(y, x, axes, keepDims)), g.dtype);
  return mul(div(hit, sum(hit, axes, true)), kept(g, x, axes, keepDims));
}

export const reduceRules: RulesFor<Reduce> = {
  sum: (g, [x], _, { axes, keepDims }) => [expand(kept(g, x, axes, keepDims), x.shape)], // d Σx = broadcast(dy)
  max: (g, [x], y, { axes, keepDims }) => [extremeRule(g, x, y, axes, keepDims)],
  min: (g, [x], y, { axes, keepDims }) => [extremeRule(g, x, y, axes, keepDims)],
  softmax: (g, _, y, { axis }) => [mul(y, sub(g, sum(mul(g, y), axis, true)))], // dx = y·(g − Σ g·y)
  logSoftmax: (g, _, y, { axis }) => [sub(g, mul(exp(y), sum(g, axis, true)))], // dx = g − exp(y)·Σ g
  argmax: nonDifferentiable,
  argmin: nonDifferentiable,
};
