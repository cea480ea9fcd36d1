import { DTYPES, type DType } from "../../dtype.js";
import { run } from "../../dispatch.js";
import { formatShape } from "../../shape.js";
import type { Tensor } from "../../tensor.js";
import { expectTensor } from "./convert.js";

/**
 * A copy of x converted to `dtype` (torch `.to(dtype)`): floats to int32 truncate toward
 * zero, any non-zero value (NaN too) becomes true. Always returns a new tensor.
 * @example cast(tensor([1.7, -1.7]), "int32") // [1, -1]
 */
export function cast(x: Tensor, dtype: DType): Tensor {
  expectTensor("cast", x);
  if (!DTYPES.includes(dtype)) {
    throw new Error(`cast: unknown dtype '${String(dtype)}' for x of shape ${formatShape(x.shape)} (expected one of ${DTYPES.join(", ")})`);
  }
  return run("cast", [x], { dtype });
}
