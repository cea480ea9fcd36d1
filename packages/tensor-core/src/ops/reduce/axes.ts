import { expectBoolean } from "../../options.js";
import { checkAxesArg, normalizeAxes } from "../../shape.js";
import type { Tensor } from "../../tensor.js";
import { expectTensor } from "../elementwise/convert.js";

/** Reduction axes as given by the user: one axis, a list, or undefined/null for all axes. */
export type Axes = number | readonly number[] | null | undefined;

/**
 * Normalise reduction axes (negative allowed, sorted, unique). A rank-0 tensor accepts
 * axis 0 or -1 (as in PyTorch) and reduces nothing. `keepDims` must be a boolean.
 */
export function reduceAxes(op: string, x: Tensor, axes: Axes, keepDims: unknown = false): number[] {
  expectTensor(op, x);
  checkAxesArg(op, axes);
  expectBoolean(op, "keepDims", keepDims);
  if (x.rank === 0 && axes !== undefined && axes !== null) {
    const list = typeof axes === "number" ? [axes] : axes;
    for (const a of list) {
      if (a !== 0 && a !== -1) throw new Error(`${op}: axis ${a} is out of range for a rank-0 tensor (expected 0 or -1)`);
    }
    return [];
  }
  return normalizeAxes(op, axes, x.rank, x.shape);
}
