/** Composite elementwise ops, written with primitives (no kernel, no gradient rule of their own). */
import type { Tensor } from "../../tensor.js";
import { div, mul } from "./binary.js";
import { expectTensor } from "./convert.js";

/** x². @example square(tensor([-3, 2])) // [9, 4] */
export function square(x: Tensor): Tensor {
  return mul(expectTensor("square", x), x);
}

/** 1/x (int32/bool inputs give float32; 1/0 = Infinity). @example reciprocal(tensor([2, 4])) // [0.5, 0.25] */
export function reciprocal(x: Tensor): Tensor {
  return div(1, expectTensor("reciprocal", x));
}
