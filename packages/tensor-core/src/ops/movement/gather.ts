import { run } from "../../dispatch.js";
import { formatShape, normalizeAxis } from "../../shape.js";
import type { Tensor } from "../../tensor.js";
import { expectTensor } from "../elementwise/convert.js";

function checkIndexDtype(op: string, x: Tensor, indices: Tensor): void {
  expectTensor(op, x);
  expectTensor(op, indices, "indices");
  if (indices.dtype !== "int32") {
    throw new Error(`${op}: indices must be int32, got '${indices.dtype}' (x: ${formatShape(x.shape)}, indices: ${formatShape(indices.shape)})`);
  }
}

/**
 * Pick slices of `x` along `axis` by integer index: out shape = x.shape[:axis] +
 * indices.shape + x.shape[axis+1:] (tfjs gather; torch index_select for 1-d indices,
 * embedding lookup for axis 0). Indices must lie in [0, x.shape[axis]).
 *
 * @example
 * gather(tensor([[1, 2], [3, 4], [5, 6]]), tensor([2, 0], undefined, "int32"));   // [[5, 6], [1, 2]]
 */
export function gather(x: Tensor, indices: Tensor, axis = 0): Tensor {
  checkIndexDtype("gather", x, indices);
  if (x.rank === 0) throw new Error(`gather: x must have at least 1 dimension (x: [], indices: ${formatShape(indices.shape)})`);
  return run("gather", [x, indices], { axis: normalizeAxis("gather", axis, x.rank, x.shape) });
}

/**
 * torch.index_select: `gather` with a 1-d index, in torch's argument order.
 *
 * @example
 * indexSelect(zeros([4, 5]), 1, tensor([0, 4], undefined, "int32")).shape;   // [4, 2]
 */
export function indexSelect(x: Tensor, axis: number, index: Tensor): Tensor {
  checkIndexDtype("indexSelect", x, index);
  if (index.rank !== 1) throw new Error(`indexSelect: index must be 1-d, got shape ${formatShape(index.shape)} (x: ${formatShape(x.shape)})`);
  if (x.rank === 0) throw new Error(`indexSelect: x must have at least 1 dimension (x: [], index: ${formatShape(index.shape)})`);
  return run("gather", [x, index], { axis: normalizeAxis("indexSelect", axis, x.rank, x.shape) });
}

/**
 * The adjoint of `gather`: out[..., indices[k], ...] += src[..., k, ...], with out shape
 * src.shape[:axis] + [size] + src.shape[axis+indices.rank:]. Repeated indices accumulate.
 * src.shape[axis : axis+indices.rank] must equal indices.shape.
 *
 * @example
 * scatterAdd(tensor([1, 2, 3]), tensor([0, 2, 0], undefined, "int32"), 0, 4);   // [4, 0, 2, 0]
 */
export function scatterAdd(src: Tensor, indices: Tensor, axis: number, size: number): Tensor {
  checkIndexDtype("scatterAdd", src, indices);
  const r = indices.rank;
  const a = src.rank - r + 1 > 0 ? normalizeAxis("scatterAdd", axis, src.rank - r + 1, src.shape) : -1;
  const block = src.shape.slice(a, a + r);
  if (a < 0 || block.length !== r || block.some((d, i) => d !== indices.shape[i]) || !Number.isInteger(size) || size < 0) {
    throw new Error(
      `scatterAdd: src: ${formatShape(src.shape)} does not hold indices: ${formatShape(indices.shape)} at axis ${axis}, or size ${size} is invalid`,
    );
  }
  return run("scatterAdd", [src, indices], { axis: a, size });
}
