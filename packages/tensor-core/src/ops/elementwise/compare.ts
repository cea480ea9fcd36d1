/** Comparisons with broadcasting; the result is a bool tensor. NaN compares unequal to everything. */
import type { TensorLike } from "../../create.js";
import type { Tensor } from "../../tensor.js";
import { binary } from "./binary.js";

/** a == b. @example equal(tensor([1, 2]), 2) // [false, true] */
export const equal = (a: TensorLike, b: TensorLike): Tensor => binary("equal", a, b);
/** a != b (true where either is NaN). @example notEqual(tensor([1, NaN]), 1) // [false, true] */
export const notEqual = (a: TensorLike, b: TensorLike): Tensor => binary("notEqual", a, b);
/** a < b. @example less(tensor([1, 3]), 2) // [true, false] */
export const less = (a: TensorLike, b: TensorLike): Tensor => binary("less", a, b);
/** a <= b. @example lessEqual(tensor([2, 3]), 2) // [true, false] */
export const lessEqual = (a: TensorLike, b: TensorLike): Tensor => binary("lessEqual", a, b);
/** a > b. @example greater(tensor([1, 3]), 2) // [false, true] */
export const greater = (a: TensorLike, b: TensorLike): Tensor => binary("greater", a, b);
/** a >= b. @example greaterEqual(tensor([2, 1]), 2) // [true, false] */
export const greaterEqual = (a: TensorLike, b: TensorLike): Tensor => binary("greaterEqual", a, b);
