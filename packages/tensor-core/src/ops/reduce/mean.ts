import { isFloat } from "../../dtype.js";
import type { Tensor } from "../../tensor.js";
import { cast, div } from "../elementwise/index.js";
import { reduceAxes, type Axes } from "./axes.js";
import { sum } from "./sum.js";

/** x as a float tensor (int/bool → float32), for the averaging reductions. */
export function asFloat(x: Tensor): Tensor {
  return isFloat(x.dtype) ? x : cast(x, "float32");
}

/** Number of elements reduced by `axes` (normalised). */
export function countOf(x: Tensor, axes: readonly number[]): number {
  return axes.reduce((n, a) => n * x.shape[a]!, 1);
}

/**
 * Arithmetic mean over `axes` (default: all) = sum / count; int/bool inputs give float32.
 * An empty reduction gives NaN (0 / 0), as in PyTorch.
 *
 * @example
 * mean(tensor([[1, 2], [3, 4]]), 0);   // [2, 3]
 */
export function mean(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  const ax = reduceAxes("mean", x, axes, keepDims);
  return div(sum(asFloat(x), ax, keepDims), countOf(x, ax));
}
