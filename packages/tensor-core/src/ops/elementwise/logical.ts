/**
 * Logical ops (torch.logical_*): inputs of any dtype, non-zero (and NaN) counts as true;
 * the result is a bool tensor.
 */
import type { TensorLike } from "../../create.js";
import { run } from "../../dispatch.js";
import type { Tensor } from "../../tensor.js";
import { binary } from "./binary.js";
import { expectTensor } from "./convert.js";

/** a AND b. @example logicalAnd(tensor([true, true]), tensor([true, false])) // [true, false] */
export const logicalAnd = (a: TensorLike, b: TensorLike): Tensor => binary("logicalAnd", a, b);
/** a OR b. @example logicalOr(mask, false) */
export const logicalOr = (a: TensorLike, b: TensorLike): Tensor => binary("logicalOr", a, b);
/** a XOR b. @example logicalXor(tensor([true, false]), true) // [false, true] */
export const logicalXor = (a: TensorLike, b: TensorLike): Tensor => binary("logicalXor", a, b);

/** NOT x: true where x is zero. @example logicalNot(tensor([true, false])) // [false, true] */
export function logicalNot(x: Tensor): Tensor {
  return run("logicalNot", [expectTensor("logicalNot", x)], {});
}
