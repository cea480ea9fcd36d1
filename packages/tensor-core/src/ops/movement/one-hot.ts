import { arange } from "../../create.js";
import { dtypeArg, type DTypeArg } from "../../options.js";
import { formatShape } from "../../shape.js";
import type { Tensor } from "../../tensor.js";
import { cast, equal } from "../elementwise/index.js";
import { unsqueeze } from "./reshape.js";
import { expectTensor } from "../elementwise/convert.js";

/**
 * One-hot encoding: out[..., c] = 1 where indices[...] == c, shape indices.shape +
 * [numClasses] (torch.nn.functional.one_hot, but float32 by default).
 *
 * @example
 * oneHot(tensor([0, 2], undefined, "int32"), 3);   // [[1, 0, 0], [0, 0, 1]]
 */
export function oneHot(indices: Tensor, numClasses: number, dtypeOrOptions?: DTypeArg): Tensor {
  expectTensor("oneHot", indices, "indices");
  const dtype = dtypeArg("oneHot", dtypeOrOptions) ?? "float32";
  if (indices.dtype !== "int32") {
    throw new Error(`oneHot: indices must be int32, got '${indices.dtype}' (indices: ${formatShape(indices.shape)})`);
  }
  if (!Number.isInteger(numClasses) || numClasses < 0) {
    throw new Error(`oneHot: numClasses must be a non-negative integer, got ${numClasses} (indices: ${formatShape(indices.shape)})`);
  }
  for (const v of indices.data) {
    if (v < 0 || v >= numClasses) {
      throw new Error(`oneHot: index ${v} is out of range for numClasses ${numClasses} (indices: ${formatShape(indices.shape)})`);
    }
  }
  const hot = equal(unsqueeze(indices, -1), arange(0, numClasses, 1, "int32"));
  return dtype === "bool" ? hot : cast(hot, dtype);
}
