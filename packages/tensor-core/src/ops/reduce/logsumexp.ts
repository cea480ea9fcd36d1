import type { Tensor } from "../../tensor.js";
import { add, exp, isFinite, log, sub, where } from "../elementwise/index.js";
import { reduceAxes, type Axes } from "./axes.js";
import { reducedShapeOf } from "./shape.js";
import { max } from "./max.js";
import { asFloat, countOf } from "./mean.js";
import { sum } from "./sum.js";

/**
 * log Σ exp(x) over `axes` (default: all), computed stably as
 *   m + log Σ exp(x - m),   m = max(x) (detached: the gradient flows through the exp term).
 * An infinite m is replaced by 0 (as torch does), so a row that is all -Infinity gives
 * -Infinity, a +Infinity gives +Infinity, and an empty reduction gives -Infinity.
 *
 * @example
 * logSumExp(tensor([[0, 0], [1e4, 1e4]]), 1);   // [0.6931, 10000.6931]
 */
export function logSumExp(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  const ax = reduceAxes("logSumExp", x, axes, keepDims);
  const xf = asFloat(x);
  let m: Tensor | number = 0;
  if (countOf(xf, ax) > 0) {
    const mx = max(xf, ax, true).detach();
    m = where(isFinite(mx), mx, 0);
  }
  const out = add(log(sum(exp(sub(xf, m)), ax, true)), m);
  return keepDims ? out : reducedShapeOf(out, x, ax);
}
