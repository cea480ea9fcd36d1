import { checkOptions, expectNumber, type OptionKeys } from "../../options.js";
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
const VARIANCE_KEYS: OptionKeys<VarianceOptions> = { correction: true, keepDims: true };

export function variance(x: Tensor, axes?: Axes, options?: VarianceOptions): Tensor {
  return varianceOf("variance", x, axes, options);
}

function varianceOf(op: string, x: Tensor, axes: Axes, options: VarianceOptions | undefined): Tensor {
  const { correction = 1, keepDims = false } = checkOptions(op, options, VARIANCE_KEYS);
  expectNumber(op, "correction", correction);
  const ax = reduceAxes(op, x, axes, keepDims);
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
export function std(x: Tensor, axes?: Axes, options?: VarianceOptions): Tensor {
  return sqrt(varianceOf("std", x, axes, options));
}
