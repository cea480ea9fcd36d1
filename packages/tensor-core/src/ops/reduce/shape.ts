import { run } from "../../dispatch.js";
import type { Tensor } from "../../tensor.js";

/** Drop the kept size-1 dimensions `axes` of a keepDims reduction `r` of `x`. */
export function reducedShapeOf(r: Tensor, x: Tensor, axes: readonly number[]): Tensor {
  return run("reshape", [r], { shape: x.shape.filter((_, i) => !axes.includes(i)) });
}
