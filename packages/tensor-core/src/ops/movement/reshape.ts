import { run } from "../../dispatch.js";
import { listArg } from "../../options.js";
import { checkAxesArg, formatShape, normalizeAxes, normalizeAxis, sizeOf } from "../../shape.js";
import type { Tensor } from "../../tensor.js";
import { expectTensor } from "../elementwise/convert.js";

/** Resolve a target shape with at most one -1 for `size` elements; errors name `op` and both shapes. */
function resolveShape(op: string, x: Tensor, shape: readonly number[]): number[] {
  const bad = shape.find((d) => !Number.isInteger(d) || d < -1);
  const holes = shape.filter((d) => d === -1).length;
  if (bad !== undefined || holes > 1) {
    throw new Error(`${op}: invalid shape ${formatShape(shape)} for x: ${formatShape(x.shape)} (dimensions must be non-negative integers, with at most one -1)`);
  }
  const known = sizeOf(shape.filter((d) => d !== -1));
  if (holes === 1) {
    if (known === 0 || x.size % known !== 0) {
      throw new Error(`${op}: cannot reshape x: ${formatShape(x.shape)} (${x.size} elements) into ${formatShape(shape)}`);
    }
    return shape.map((d) => (d === -1 ? x.size / known : d));
  }
  if (known !== x.size) {
    throw new Error(`${op}: cannot reshape x: ${formatShape(x.shape)} (${x.size} elements) into ${formatShape(shape)} (${known} elements)`);
  }
  return shape.slice();
}

/**
 * The same elements in a new shape (row-major order kept); one dimension may be -1.
 * Shares storage with `x` (ops never mutate tensors). The shape is an array or, as in
 * PyTorch's `x.reshape(2, 3)`, separate integers.
 *
 * @example
 * reshape(arange(6), [2, -1]);   // [[0, 1, 2], [3, 4, 5]]
 * arange(6).reshape(3, 2);       // [[0, 1], [2, 3], [4, 5]]
 */
export function reshape(x: Tensor, shape: readonly number[] | number, ...more: number[]): Tensor {
  expectTensor("reshape", x);
  return run("reshape", [x], { shape: resolveShape("reshape", x, listArg("reshape", "shape", shape, more)) });
}

/**
 * Merge dimensions startDim..endDim (inclusive) into one, like torch.flatten. A rank-0
 * tensor becomes shape [1].
 *
 * @example
 * flatten(zeros([2, 3, 4]), 1);   // shape [2, 12]
 */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  expectTensor("flatten", x);
  if (x.rank === 0) return reshape(x, [1]);
  const s = normalizeAxis("flatten", startDim, x.rank, x.shape);
  const e = normalizeAxis("flatten", endDim, x.rank, x.shape);
  if (s > e) throw new Error(`flatten: startDim ${startDim} comes after endDim ${endDim} (x: ${formatShape(x.shape)})`);
  const merged = sizeOf(x.shape.slice(s, e + 1));
  return run("reshape", [x], { shape: [...x.shape.slice(0, s), merged, ...x.shape.slice(e + 1)] });
}

/**
 * Remove size-1 dimensions: all of them, or those among `axes` (negative allowed). As in
 * torch.squeeze, a listed axis whose size is not 1 is left in place.
 *
 * @example
 * squeeze(zeros([2, 1, 3])).shape;      // [2, 3]
 * squeeze(zeros([2, 1, 3]), 0).shape;   // [2, 1, 3]
 */
export function squeeze(x: Tensor, axes?: number | readonly number[]): Tensor {
  expectTensor("squeeze", x);
  checkAxesArg("squeeze", axes);
  const listed = axes === undefined ? null : x.rank === 0 ? [] : normalizeAxes("squeeze", axes, x.rank, x.shape);
  if (x.rank === 0 && axes !== undefined) {
    for (const a of typeof axes === "number" ? [axes] : axes) {
      if (a !== 0 && a !== -1) throw new Error(`squeeze: axis ${a} is out of range for a rank-0 tensor (expected 0 or -1)`);
    }
  }
  const drop = (d: number, i: number): boolean => d === 1 && (listed === null || listed.includes(i));
  return run("reshape", [x], { shape: x.shape.filter((d, i) => !drop(d, i)) });
}

/**
 * Insert a size-1 dimension at `axis` (in -(rank+1)..rank), like torch.unsqueeze.
 *
 * @example
 * unsqueeze(zeros([2, 3]), -1);   // shape [2, 3, 1]
 */
export function unsqueeze(x: Tensor, axis: number): Tensor {
  expectTensor("unsqueeze", x);
  const a = normalizeAxis("unsqueeze", axis, x.rank + 1, x.shape);
  return run("reshape", [x], { shape: [...x.shape.slice(0, a), 1, ...x.shape.slice(a)] });
}
