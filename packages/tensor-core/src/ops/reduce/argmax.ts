import { run } from "../../dispatch.js";
import { formatShape, normalizeAxis } from "../../shape.js";
import { expectBoolean, expectNumber } from "../../options.js";
import type { Tensor } from "../../tensor.js";
import { expectTensor } from "../elementwise/convert.js";

function argReduce(op: "argmax" | "argmin", x: Tensor, axis: number | undefined, keepDims: boolean): Tensor {
  expectTensor(op, x);
  if (axis !== undefined) expectNumber(op, "axis", axis, true);
  expectBoolean(op, "keepDims", keepDims);
  if (x.size === 0 && (axis === undefined || x.rank === 0 || x.shape[normalizeAxis(op, axis, x.rank, x.shape)] === 0)) {
    throw new Error(`${op}: cannot take the ${op} of an empty reduction (x: ${formatShape(x.shape)}, axis: ${axis ?? "all"})`);
  }
  if (axis === undefined || x.rank === 0) {
    if (x.rank === 0 && axis !== undefined && axis !== 0 && axis !== -1) {
      throw new Error(`${op}: axis ${axis} is out of range for a rank-0 tensor (expected 0 or -1)`);
    }
    const flat = run("reshape", [x], { shape: [x.size] });
    const r = run(op, [flat], { axis: 0, keepDims: false });
    return keepDims ? run("reshape", [r], { shape: x.shape.map(() => 1) }) : r;
  }
  return run(op, [x], { axis: normalizeAxis(op, axis, x.rank, x.shape), keepDims });
}

/**
 * Index of the maximum along `axis` (undefined: of the flattened tensor), int32, like
 * torch.argmax: the first occurrence wins ties and NaN counts as the maximum.
 *
 * @example
 * argmax(tensor([[1, 5], [3, 2]]), 1);   // int32 [1, 0]
 */
export function argmax(x: Tensor, axis?: number, keepDims = false): Tensor {
  return argReduce("argmax", x, axis, keepDims);
}

/** Index of the minimum along `axis`, int32 (first occurrence; NaN counts as the minimum). */
export function argmin(x: Tensor, axis?: number, keepDims = false): Tensor {
  return argReduce("argmin", x, axis, keepDims);
}
