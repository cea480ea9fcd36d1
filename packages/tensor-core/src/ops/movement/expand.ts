import { run } from "../../dispatch.js";
import { formatShape } from "../../shape.js";
import { listArg } from "../../options.js";
import type { Tensor } from "../../tensor.js";
import { expectTensor } from "../elementwise/convert.js";

/**
 * Repeat size-1 dimensions (and add leading ones) to reach `shape`, like torch.expand;
 * -1 keeps an existing dimension. The shape is an array or separate integers (`x.expand(2, 3)`).
 * Returns a new contiguous tensor.
 *
 * @example
 * expand(tensor([[1], [2]]), [2, 3]);   // [[1, 1, 1], [2, 2, 2]]
 */
export function expand(x: Tensor, shape: readonly number[] | number, ...more: number[]): Tensor {
  return run("expand", [x], { shape: expandedShape("expand", x, listArg("expand", "shape", shape, more)) });
}

/** NumPy-style broadcast of `x` to `shape` (= expand). @example broadcastTo(scalar(1), [2, 2]) */
export function broadcastTo(x: Tensor, shape: readonly number[]): Tensor {
  return run("expand", [x], { shape: expandedShape("broadcastTo", x, shape) });
}

function expandedShape(op: string, x: Tensor, shape: readonly number[]): number[] {
  expectTensor(op, x);
  listArg(op, "shape", shape, []);
  const lead = shape.length - x.rank;
  if (lead < 0) {
    throw new Error(`${op}: target shape ${formatShape(shape)} has fewer dimensions than x: ${formatShape(x.shape)}`);
  }
  return shape.map((d, i) => {
    const own = i >= lead ? x.shape[i - lead]! : undefined;
    if (d === -1 && own !== undefined) return own;
    if (!Number.isInteger(d) || d < 0 || (own !== undefined && own !== 1 && own !== d)) {
      throw new Error(`${op}: cannot expand x: ${formatShape(x.shape)} to ${formatShape(shape)} (dimension ${i} is ${own ?? "new"}, target ${d})`);
    }
    return d;
  });
}
