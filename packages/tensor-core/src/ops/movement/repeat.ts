import { run } from "../../dispatch.js";
import { listArg } from "../../options.js";
import { formatShape } from "../../shape.js";
import type { Tensor } from "../../tensor.js";
import { expectTensor } from "../elementwise/convert.js";

/**
 * Tile `x` reps[i] times along each dimension (torch.Tensor.repeat): reps may be longer
 * than x's rank (new leading dimensions), given as an array or as separate integers (`x.repeat(2, 2)`). Written as reshape → expand → reshape:
 * [a, b] → [1, a, 1, b] → [r0, a, r1, b] → [r0·a, r1·b].
 *
 * @example
 * repeat(tensor([1, 2]), [2, 2]);   // [[1, 2, 1, 2], [1, 2, 1, 2]]
 */
export function repeat(x: Tensor, reps: readonly number[] | number, ...more: number[]): Tensor {
  return tiled("repeat", x, listArg("repeat", "reps", reps, more));
}

function tiled(op: string, x: Tensor, reps: readonly number[]): Tensor {
  expectTensor(op, x);
  if (reps.length < x.rank || reps.some((r) => !Number.isInteger(r) || r < 0)) {
    throw new Error(`${op}: reps [${reps.join(",")}] must be non-negative integers, at least one per dimension of x: ${formatShape(x.shape)}`);
  }
  const dims = [...reps.slice(0, reps.length - x.rank).map(() => 1), ...x.shape];
  const spread = run("reshape", [x], { shape: dims.flatMap((d) => [1, d]) });
  const expanded = run("expand", [spread], { shape: dims.flatMap((d, i) => [reps[i]!, d]) });
  return run("reshape", [expanded], { shape: dims.map((d, i) => d * reps[i]!) });
}

/**
 * torch.tile / numpy.tile: like `repeat`, but reps shorter than x's rank are padded with
 * leading 1s.
 *
 * @example
 * tile(tensor([[1, 2]]), [2]);   // [[1, 2, 1, 2]]
 */
export function tile(x: Tensor, reps: readonly number[] | number, ...more: number[]): Tensor {
  expectTensor("tile", x);
  const r = listArg("tile", "reps", reps, more);
  return tiled("tile", x, [...Array.from({ length: Math.max(0, x.rank - r.length) }, () => 1), ...r]);
}
