import type { Tensor } from "../../tensor.js";
import { div, mul, sqrt, sub } from "../elementwise/index.js";
import { reduceAxes, type Axes } from "./axes.js";
import { asFloat, countOf, mean } from "./mean.js";
import { sum } from "./sum.js";

export interface VarianceOptions {
  /** Bessel's correction: divide by count - correction (1 = unbiased, torch's default; 0 = biased). */
  correction?: number;
  keepDims?: boolean;
}

/**
 * Variance over `axes` (default: all), like torch.var: Σ (x - mean)² / (count - correction),
 * computed in two passes for accuracy. count <= correction gives NaN or Infinity, as in PyTorch.
 *
 * @example
 * variance(tensor([1, 2, 3, 4]));                       // 1.6667
 * variance(tensor([1, 2, 3, 4]), 0, { correction: 0 }); // 1.25
 */
export function variance(x: Tensor, axes?: Axes, options: VarianceOptions = {}): Tensor {
  const { correction = 1, keepDims = false } = options;
  const ax = reduceAxes("variance", x, axes);
  const xf = asFloat(x);
  const d = sub(xf, mean(xf, ax, true));
  return div(sum(mul(d, d), ax, keepDims), Math.max(countOf(x, ax) - correction, 0));
}

/**
 * Standard deviation = sqrt(variance) with the same options (torch.std).
 *
 * @example
 * std(tensor([1, 2, 3, 4]));   // 1.2910
 */
export function std(x: Tensor, axes?: Axes, options: VarianceOptions = {}): Tensor {
  return sqrt(variance(x, axes, options));
}
