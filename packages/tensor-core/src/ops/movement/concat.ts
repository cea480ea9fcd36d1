import { run } from "../../dispatch.js";
import { describeValue } from "../../options.js";
import { formatShape, normalizeAxis } from "../../shape.js";
import type { Tensor } from "../../tensor.js";
import { expectTensor } from "../elementwise/convert.js";

const shapes = (ts: readonly Tensor[]): string => ts.map((t) => formatShape(t.shape)).join(", ");

/**
 * Join tensors along an existing `axis`; all other dimensions must match, dtypes promote
 * (torch.cat).
 *
 * @example
 * concat([zeros([2, 3]), ones([2, 1])], 1).shape;   // [2, 4]
 */
export function concat(tensors: readonly Tensor[], axis = 0): Tensor {
  const given: unknown = tensors;
  if (!Array.isArray(given)) throw new Error(`concat: expected the tensors as an array, like concat([a, b], axis), got ${describeValue(given)}`);
  const first = tensors[0];
  if (first === undefined) throw new Error("concat: expected at least one tensor, got an empty list");
  tensors.forEach((t, i) => expectTensor("concat", t, `tensors[${i}]`));
  if (first.rank === 0) throw new Error(`concat: rank-0 tensors cannot be concatenated (shapes: ${shapes(tensors)}); use stack`);
  const a = normalizeAxis("concat", axis, first.rank, first.shape);
  tensors.forEach((t, i) => {
    if (t.rank !== first.rank || t.shape.some((d, k) => k !== a && d !== first.shape[k])) {
      throw new Error(`concat: tensor ${i} has shape ${formatShape(t.shape)} but tensor 0 has shape ${formatShape(first.shape)}; they must match except in axis ${axis} (shapes: ${shapes(tensors)})`);
    }
  });
  return run("concat", tensors, { axis: a });
}

/**
 * Join same-shaped tensors along a NEW axis (torch.stack).
 *
 * @example
 * stack([zeros([2, 3]), ones([2, 3])], 1).shape;   // [2, 2, 3]
 */
export function stack(tensors: readonly Tensor[], axis = 0): Tensor {
  const given: unknown = tensors;
  if (!Array.isArray(given)) throw new Error(`stack: expected the tensors as an array, like stack([a, b], axis), got ${describeValue(given)}`);
  const first = tensors[0];
  if (first === undefined) throw new Error("stack: expected at least one tensor, got an empty list");
  tensors.forEach((t, i) => expectTensor("stack", t, `tensors[${i}]`));
  const a = normalizeAxis("stack", axis, first.rank + 1, first.shape);
  tensors.forEach((t, i) => {
    if (t.rank !== first.rank || t.shape.some((d, k) => d !== first.shape[k])) {
      throw new Error(`stack: tensor ${i} has shape ${formatShape(t.shape)} but tensor 0 has shape ${formatShape(first.shape)}; all must match (shapes: ${shapes(tensors)})`);
    }
  });
  const shape = [...first.shape.slice(0, a), 1, ...first.shape.slice(a)];
  return run("concat", tensors.map((t) => run("reshape", [t], { shape })), { axis: a });
}
