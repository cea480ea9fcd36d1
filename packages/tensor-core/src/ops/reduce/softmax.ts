import { run } from "../../dispatch.js";
import { normalizeAxis } from "../../shape.js";
import { expectNumber } from "../../options.js";
import type { Tensor } from "../../tensor.js";
import { expectTensor } from "../elementwise/convert.js";

function axisOf(op: string, x: Tensor, axis: number): number {
  expectTensor(op, x);
  expectNumber(op, "axis", axis, true);
  if (x.rank === 0) {
    if (axis !== 0 && axis !== -1) throw new Error(`${op}: axis ${axis} is out of range for a rank-0 tensor (expected 0 or -1)`);
    return 0;
  }
  return normalizeAxis(op, axis, x.rank, x.shape);
}

/**
 * softmax(x)_i = exp(x_i - max x) / Σ_j exp(x_j - max x) along `axis` (numerically stable).
 * -Infinity entries get probability 0; a row that is ALL -Infinity (or holds NaN or
 * +Infinity) gives NaN, as in PyTorch. Int/bool inputs give float32.
 *
 * @example
 * softmax(tensor([[1, 2, 3]]));   // [[0.0900, 0.2447, 0.6652]]
 */
export function softmax(x: Tensor, axis = -1): Tensor {
  return run("softmax", [x], { axis: axisOf("softmax", x, axis) });
}

/**
 * logSoftmax(x)_i = x_i - max x - log Σ_j exp(x_j - max x) along `axis` (stable; same
 * -Infinity/NaN conventions as `softmax`).
 *
 * @example
 * logSoftmax(tensor([0, 0]));   // [-0.6931, -0.6931]
 */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  return run("logSoftmax", [x], { axis: axisOf("logSoftmax", x, axis) });
}
