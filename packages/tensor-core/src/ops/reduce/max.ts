import { run } from "../../dispatch.js";
import { formatShape } from "../../shape.js";
import type { Tensor } from "../../tensor.js";
import { reduceAxes, type Axes } from "./axes.js";

function checkNonEmpty(op: string, x: Tensor, axes: readonly number[]): void {
  const empty = x.rank === 0 ? undefined : axes.find((a) => x.shape[a] === 0);
  if (empty !== undefined) {
    throw new Error(`${op}: cannot reduce over axis ${empty} of size 0 (x: ${formatShape(x.shape)}, axes: [${axes.join(",")}])`);
  }
}

/**
 * Maximum values over `axes` (default: all), like torch.amax: values only, NaN propagates,
 * and an empty reduction is an error.
 *
 * @example
 * max(tensor([[1, 5], [3, 2]]), 1);   // [5, 3]
 */
export function max(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  const ax = reduceAxes("max", x, axes, keepDims);
  checkNonEmpty("max", x, ax);
  return run("max", [x], { axes: ax, keepDims });
}

/** Minimum values over `axes` (default: all), like torch.amin. @example min(tensor([3, 1, 2])); // 1 */
export function min(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  const ax = reduceAxes("min", x, axes, keepDims);
  checkNonEmpty("min", x, ax);
  return run("min", [x], { axes: ax, keepDims });
}
