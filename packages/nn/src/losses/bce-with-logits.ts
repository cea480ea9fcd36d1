import { checkOptions, add, broadcastShapes, formatShape, mul, shapesEqual, sub, type Tensor } from "@heed/tensor-core";
import { logSigmoid } from "./log-sigmoid.js";
import { checkReduction, reduce, type Reduction } from "./reduction.js";
import { tensorArg } from "../tensor-arg.js";

export interface BCEWithLogitsOptions {
  /** Per-element rescaling, broadcast against the loss. */
  weight?: Tensor | null;
  /** Weight of positive examples, broadcast along the last (class) dimension. */
  posWeight?: Tensor | null;
  reduction?: Reduction;
}

/**
 * Binary cross-entropy on logits (torch.nn.functional.binary_cross_entropy_with_logits),
 * stable for any logit: ℓ = (1 − y)·x − (1 + (posWeight − 1)·y)·log σ(x), times `weight`,
 * then reduced ('mean' averages over all elements).
 *
 * @example
 * binaryCrossEntropyWithLogits(logits, labels, { posWeight: tensor([3]) });
 */
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, options?: BCEWithLogitsOptions): Tensor {
  const { weight = null, posWeight = null, reduction = "mean" } = checkOptions("binaryCrossEntropyWithLogits", options, { weight: true, posWeight: true, reduction: true });
  checkReduction("binaryCrossEntropyWithLogits", reduction);
  tensorArg("binaryCrossEntropyWithLogits", "input", input);
  tensorArg("binaryCrossEntropyWithLogits", "target", target);
  if (!shapesEqual(input.shape, target.shape)) {
    throw new Error(`binaryCrossEntropyWithLogits: target shape ${formatShape(target.shape)} must equal input shape ${formatShape(input.shape)}`);
  }
  for (const [key, w] of [["weight", weight], ["posWeight", posWeight]] as const) {
    if (w === null) continue;
    let out: number[] | null;
    try {
      out = broadcastShapes("binaryCrossEntropyWithLogits", w.shape, input.shape);
    } catch {
      out = null;
    }
    if (out === null || !shapesEqual(out, input.shape)) {
      throw new Error(`binaryCrossEntropyWithLogits: ${key} of shape ${formatShape(w.shape)} cannot be broadcast to the input shape ${formatShape(input.shape)}${key === "posWeight" ? " (one weight per class: the input's last dimension)" : ""}`);
    }
  }
  const ls = logSigmoid(input);
  const positive = posWeight === null ? ls : mul(add(mul(sub(posWeight, 1), target), 1), ls);
  let loss = sub(mul(sub(1, target), input), positive);
  if (weight !== null) loss = mul(loss, weight);
  return reduce(loss, reduction);
}
