import { div, mean, sum, type Tensor } from "@heed/tensor-core";

/** How a loss reduces its per-element values (PyTorch's `reduction`). */
export type Reduction = "mean" | "sum" | "none";

export function checkReduction(op: string, reduction: unknown): Reduction {
  if (reduction !== "mean" && reduction !== "sum" && reduction !== "none") {
    throw new Error(`${op}: reduction must be 'mean', 'sum' or 'none', got ${JSON.stringify(reduction)}`);
  }
  return reduction;
}

/** Apply a reduction; 'mean' divides by `denominator` when given, else by the element count. */
export function reduce(loss: Tensor, reduction: Reduction, denominator?: number): Tensor {
  if (reduction === "none") return loss;
  if (reduction === "sum") return sum(loss);
  return denominator === undefined ? mean(loss) : div(sum(loss), denominator);
}
