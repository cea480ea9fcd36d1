/** Selection by a bool mask: where (torch.where) and maskedFill (torch.Tensor.masked_fill). */
import { asTensor, scalar, type TensorLike } from "../../create.js";
import { isFloat } from "../../dtype.js";
import { run } from "../../dispatch.js";
import { broadcastShapes, formatShape, shapesEqual } from "../../shape.js";
import type { Tensor } from "../../tensor.js";
import { describeTensor, expectTensor, toTensors } from "./convert.js";

/**
 * condition ? a : b elementwise, with condition, a and b broadcast together. The condition
 * must be bool; the result has the promoted dtype of a and b.
 * @example where(greater(x, 0), x, 0) // relu
 * @example where(causalMask, scores, -Infinity) // [L,S] mask with [B,H,L,S] scores
 */
export function where(condition: TensorLike, a: TensorLike, b: TensorLike): Tensor {
  if (typeof condition === "number") {
    throw new Error(`where: condition must be a bool tensor or a boolean, got the number ${condition}`);
  }
  const cond = typeof condition === "boolean" ? asTensor(condition) : expectTensor("where", condition, "condition");
  if (cond.dtype !== "bool") {
    throw new Error(`where: condition must be a bool tensor, got dtype '${cond.dtype}' (shape ${formatShape(cond.shape)}); compare first, e.g. greater(x, 0)`);
  }
  const [x, y] = toTensors("where", a, b);
  try {
    broadcastShapes("where", broadcastShapes("where", cond.shape, x.shape), y.shape);
  } catch {
    throw new Error(`where: shapes ${formatShape(cond.shape)} (condition), ${formatShape(x.shape)} (a) and ${formatShape(y.shape)} (b) cannot be broadcast together`);
  }
  return run("where", [cond, x, y], {});
}

/**
 * x with `value` where `mask` is true; the mask is bool and broadcasts to x's shape, the
 * result keeps x's shape and dtype (an int/bool x needs an integer/boolean value).
 * @example maskedFill(scores, causalMask, -Infinity) // scores [B,H,L,S], mask [L,S]
 */
export function maskedFill(x: Tensor, mask: Tensor, value: number | boolean): Tensor {
  expectTensor("maskedFill", x);
  expectTensor("maskedFill", mask, "mask");
  if (mask.dtype !== "bool") {
    throw new Error(`maskedFill: mask must be a bool tensor, got ${describeTensor(mask)} for x ${describeTensor(x)}`);
  }
  if (typeof value !== "number" && typeof value !== "boolean") {
    throw new Error(`maskedFill: value must be a number or boolean, got ${typeof value}`);
  }
  let out: number[] | null = null;
  try {
    out = broadcastShapes("maskedFill", mask.shape, x.shape);
  } catch {
    // reported below
  }
  if (out === null || !shapesEqual(out, x.shape)) {
    throw new Error(`maskedFill: mask shape ${formatShape(mask.shape)} cannot be broadcast to x shape ${formatShape(x.shape)}`);
  }
  const v = typeof value === "boolean" ? Number(value) : value;
  if (!isFloat(x.dtype) && !(Number.isInteger(v) && (x.dtype !== "bool" || v === 0 || v === 1))) {
    throw new Error(`maskedFill: value ${value} cannot be stored in x of dtype '${x.dtype}' (shape ${formatShape(x.shape)})`);
  }
  return run("where", [mask, scalar(v, x.dtype), x], {});
}
