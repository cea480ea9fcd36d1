import { DTYPES } from "../../dtype.js";
import { dtypeArg, type DTypeArg } from "../../options.js";
import { run } from "../../dispatch.js";
import { formatShape } from "../../shape.js";
import type { Tensor } from "../../tensor.js";
import { expectTensor } from "./convert.js";

/**
 * A copy of x converted to `dtype` (torch `.to(dtype)`): floats to int32 truncate toward
 * zero, any non-zero value (NaN too) becomes true. Always returns a new tensor. The dtype
 * may be given as `{ dtype }` (PyTorch's keyword form).
 * @example cast(tensor([1.7, -1.7]), "int32") // [1, -1]
 */
export function cast(x: Tensor, dtypeOrOptions: DTypeArg): Tensor {
  expectTensor("cast", x);
  if (typeof dtypeOrOptions === "string" && !DTYPES.includes(dtypeOrOptions)) {
    throw new Error(`cast: unknown dtype '${dtypeOrOptions}' for x of shape ${formatShape(x.shape)} (expected one of ${DTYPES.join(", ")})`);
  }
  const dtype = dtypeArg("cast", dtypeOrOptions);
  if (dtype === undefined) throw new Error(`cast: a dtype is required (one of ${DTYPES.join(", ")}) for x of shape ${formatShape(x.shape)}`);
  return run("cast", [x], { dtype });
}
