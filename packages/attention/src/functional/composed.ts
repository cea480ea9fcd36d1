import { add, cast, equal, logicalNot, logicalOr, maskedFill, matmul, max, mul, softmax, type Tensor } from "@heed/tensor-core";
import { causalMask, deadRows, dropoutFactors } from "./masks.js";
import type { AttentionResult } from "./types.js";
import type { AttentionSpec } from "./validate.js";

/**
 * Attention composed from primitives (the readable spec and the oracle of the fused path):
 *   weights = dropout(softmax(scale·q·kᵀ + bias)),  output = weights·v
 * q [..., L, E], k [..., S, E], v [..., S, Ev] → output [..., L, Ev], weights [..., L, S].
 * A row whose keys are all masked is un-masked before the softmax (so it stays finite, and
 * so do its gradients) and its weights are then set to 0: output 0, gradients 0. With a given
 * mask that costs one more pass over the weights, also when no row is dead.
 */
export function composedAttention(q: Tensor, k: Tensor, v: Tensor, spec: AttentionSpec): AttentionResult {
  const { L, S, scale } = spec;
  // scale·(q·kᵀ) = (scale·q)·kᵀ: scaling q touches L·E numbers instead of L·S.
  let scores = matmul(scale === 1 ? q : mul(q, scale), k, { transB: true });
  let mask = spec.mask ?? (spec.causal ? causalMask(L, S) : null);
  // A given mask's dead rows are found with tensor ops, so that an ONNX export traces them and
  // a row that is fully masked only at run time still gives 0 there; the causal mask's are known.
  const dead = mask === null ? null : spec.mask === null ? deadRows(mask) : deadRowsOf(mask);
  if (mask !== null && mask.dtype === "bool") {
    if (dead !== null) mask = logicalOr(mask, dead);
    scores = maskedFill(scores, logicalNot(mask), -Infinity);
  } else if (mask !== null) {
    scores = add(scores, dead === null ? mask : maskedFill(mask, dead, 0));
  }
  let weights = softmax(scores, -1);
  if (dead !== null) weights = maskedFill(weights, dead, 0);
  if (spec.dropoutP > 0) weights = mul(weights, dropoutFactors(spec, q.dtype));
  return { output: matmul(weights, v), weights };
}

/** `deadRows` as tensor ops: TRUE where every key of the row is hidden, [..., 1]. */
function deadRowsOf(mask: Tensor): Tensor {
  if (mask.dtype === "bool") return logicalNot(cast(max(cast(mask, "float32"), -1, true), "bool"));
  return equal(max(mask, -1, true), -Infinity);
}
