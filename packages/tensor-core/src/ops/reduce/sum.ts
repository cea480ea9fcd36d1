import { run } from "../../dispatch.js";
import type { Tensor } from "../../tensor.js";
import { reduceAxes, type Axes } from "./axes.js";

/**
 * Sum over `axes` (default: all), like torch.sum. Accumulates in float64; bool and int32
 * inputs give int32.
 *
 * @example
 * sum(tensor([[1, 2], [3, 4]]), 1);          // [3, 7]
 * sum(tensor([[1, 2], [3, 4]]), -1, true);   // [[3], [7]]
 */
export function sum(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  return run("sum", [x], { axes: reduceAxes("sum", x, axes, keepDims), keepDims });
}
