import { allocate } from "../../dtype.js";
import { formatShape } from "../../shape.js";
import { Tensor } from "../../tensor.js";
import { where } from "../elementwise/index.js";
import { expectTensor } from "../elementwise/convert.js";

/** A constant bool [L, S] mask: keep[i, j] = lower ? j - i <= k : j - i >= k. */
function bandMask(L: number, S: number, k: number, lower: boolean): Tensor {
  const data = allocate("bool", L * S);
  for (let i = 0; i < L; i++) {
    for (let j = 0; j < S; j++) data[i * S + j] = (lower ? j - i <= k : j - i >= k) ? 1 : 0;
  }
  return new Tensor(data, [L, S], "bool");
}

function band(op: string, x: Tensor, k: number, lower: boolean): Tensor {
  expectTensor(op, x);
  if (x.rank < 2) throw new Error(`${op}: x must have at least 2 dimensions (x: ${formatShape(x.shape)})`);
  if (!Number.isInteger(k)) throw new Error(`${op}: diagonal offset k must be an integer, got ${k} (x: ${formatShape(x.shape)})`);
  const [L, S] = x.shape.slice(-2) as [number, number];
  return where(bandMask(L, S, k, lower), x, 0);
}

/**
 * Lower triangle of the last two dimensions [..., L, S]: elements with j - i > k become 0
 * (torch.tril). k > 0 keeps diagonals above the main one, k < 0 removes more.
 *
 * @example
 * tril(ones([3, 3]));   // [[1, 0, 0], [1, 1, 0], [1, 1, 1]]
 */
export function tril(x: Tensor, k = 0): Tensor {
  return band("tril", x, k, true);
}

/**
 * Upper triangle of the last two dimensions: elements with j - i < k become 0 (torch.triu).
 *
 * @example
 * triu(ones([3, 3]), 1);   // [[0, 1, 1], [0, 0, 1], [0, 0, 0]]
 */
export function triu(x: Tensor, k = 0): Tensor {
  return band("triu", x, k, false);
}
