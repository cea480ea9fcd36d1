import { run } from "../../dispatch.js";
import { expectNumber, listArg } from "../../options.js";
import { formatShape, normalizeAxis } from "../../shape.js";
import type { Tensor } from "../../tensor.js";
import { expectTensor } from "../elementwise/convert.js";

/**
 * Reorder dimensions: out.shape[i] = x.shape[perm[i]] (negative entries allowed), like
 * torch.permute (`perm` as an array, or as separate integers: `x.permute(0, 2, 1)`).
 * Returns a new contiguous tensor.
 *
 * @example
 * const [B, L, H, D] = [2, 5, 4, 8];
 * permute(zeros([B, L, H, D]), [0, 2, 1, 3]);   // [B, H, L, D]
 */
export function permute(x: Tensor, dims: readonly number[] | number, ...more: number[]): Tensor {
  expectTensor("permute", x);
  const perm = listArg("permute", "perm", dims, more);
  const p = perm.length === x.rank ? perm.map((a) => normalizeAxis("permute", a, x.rank, x.shape)) : [];
  if (perm.length !== x.rank || new Set(p).size !== p.length) {
    throw new Error(`permute: [${perm.join(",")}] is not a permutation of the ${x.rank} dimensions of x: ${formatShape(x.shape)}`);
  }
  return run("permute", [x], { perm: p });
}

/**
 * Swap two dimensions (default: the last two), like torch.transpose.
 *
 * @example
 * transpose(zeros([2, 3, 4])).shape;   // [2, 4, 3]
 */
export function transpose(x: Tensor, dim0 = -2, dim1 = -1): Tensor {
  expectTensor("transpose", x);
  expectNumber("transpose", "dim0", dim0, true);
  expectNumber("transpose", "dim1", dim1, true);
  if (x.rank < 2 && dim0 === -2 && dim1 === -1) {
    throw new Error(`transpose: x must have at least 2 dimensions to swap the last two (x: ${formatShape(x.shape)})`);
  }
  const a = normalizeAxis("transpose", dim0, x.rank, x.shape);
  const b = normalizeAxis("transpose", dim1, x.rank, x.shape);
  const perm = x.shape.map((_, i) => (i === a ? b : i === b ? a : i));
  return run("permute", [x], { perm });
}
