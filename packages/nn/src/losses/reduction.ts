import { add, div, mean, mul, sum, type Tensor } from "@heed/tensor-core";

/** How a loss reduces its per-element values (PyTorch's `reduction`). */
export type Reduction = "mean" | "sum" | "none";

export function checkReduction(op: string, reduction: unknown): Reduction {
  if (reduction !== "mean" && reduction !== "sum" && reduction !== "none") {
    throw new Error(`${op}: reduction must be 'mean', 'sum' or 'none', got ${JSON.stringify(reduction)}`);
  }
  return reduction;
}

/**
 * Apply a reduction; 'mean' divides by `denominator` when given, else by the element count.
 * `allIgnored` (every target ignored): 'mean' is 0/0 = NaN with a ZERO gradient, as in PyTorch,
 * where ignored targets get no gradient at all — so one fully padded batch leaves the parameters
 * finite instead of turning them into NaN.
 */
export function reduce(loss: Tensor, reduction: Reduction, denominator?: number, allIgnored = false): Tensor {
  if (reduction === "none") return loss;
  if (reduction === "sum") return sum(loss);
  if (allIgnored) return add(mul(sum(loss), 0), NaN); // value NaN; d/dloss = 0
  return denominator === undefined ? mean(loss) : div(sum(loss), denominator);
}
