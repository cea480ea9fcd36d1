import { formatShape, normalizeAxis } from "../../shape.js";
import type { Tensor } from "../../tensor.js";
import { narrow } from "./slice.js";
import { expectTensor } from "../elementwise/convert.js";

/**
 * Split along `axis` into pieces of `splitSizeOrSections` elements (the last may be
 * smaller), or into pieces of the listed sizes, which must add up to the dimension
 * (torch.split).
 *
 * @example
 * split(arange(5), 2).map((t) => t.shape);        // [[2], [2], [1]]
 * split(zeros([2, 6]), [1, 5], 1).map((t) => t.shape);   // [[2, 1], [2, 5]]
 */
export function split(x: Tensor, splitSizeOrSections: number | readonly number[], axis = 0): Tensor[] {
  expectTensor("split", x);
  const a = normalizeAxis("split", axis, x.rank, x.shape);
  const dim = x.shape[a]!;
  let sizes: number[];
  if (typeof splitSizeOrSections === "number") {
    const s = splitSizeOrSections;
    if (!Number.isInteger(s) || s <= 0) throw new Error(`split: split size must be a positive integer, got ${s} (x: ${formatShape(x.shape)}, axis ${axis})`);
    sizes = dim === 0 ? [0] : Array.from({ length: Math.ceil(dim / s) }, (_, i) => Math.min(s, dim - i * s));
  } else {
    sizes = splitSizeOrSections.slice();
    const total = sizes.reduce((n, s) => n + s, 0);
    if (sizes.some((s) => !Number.isInteger(s) || s < 0) || total !== dim) {
      throw new Error(`split: sections [${sizes.join(",")}] (sum ${total}) do not split axis ${axis} of size ${dim} (x: ${formatShape(x.shape)})`);
    }
  }
  let start = 0;
  return sizes.map((s) => {
    const piece = narrow(x, a, start, s);
    start += s;
    return piece;
  });
}

/**
 * Split into `chunks` pieces of ceil(dim / chunks) elements (fewer pieces if the
 * dimension runs out first), like torch.chunk.
 *
 * @example
 * chunk(arange(5), 3).map((t) => t.shape);   // [[2], [2], [1]]
 */
export function chunk(x: Tensor, chunks: number, axis = 0): Tensor[] {
  expectTensor("chunk", x);
  if (!Number.isInteger(chunks) || chunks <= 0) throw new Error(`chunk: chunks must be a positive integer, got ${chunks} (x: ${formatShape(x.shape)})`);
  const a = normalizeAxis("chunk", axis, x.rank, x.shape);
  const dim = x.shape[a]!;
  return split(x, Math.max(1, Math.ceil(dim / chunks)), a);
}
