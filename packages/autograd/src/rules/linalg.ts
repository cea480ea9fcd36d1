import { matmul } from "@heed/tensor-core";
import type { RulesFor } from "./types.js";

/**
 * C = op(A)·op(B), op = optional transpose of the last two dims (operands are ≥ 2-d here:
 * the public `matmul` lifts 1-d operands with recorded reshapes before the primitive).
 *   none:   dA = G·Bᵀ     dB = Aᵀ·G
 *   transA: dA = B·Gᵀ     dB = A·G
 *   transB: dA = G·B      dB = Gᵀ·A
 *   both:   dA = Bᵀ·Gᵀ    dB = Gᵀ·Aᵀ
 * Batch dims broadcast; the engine sums each gradient down to its input's shape.
 */
export const linalgRules: RulesFor<"matmul"> = {
  matmul: (g, [a, b], _, { transA, transB }, n) => [
    n[0] ? (transA ? matmul(b, g, { transA: transB, transB: true }) : matmul(g, b, { transB: !transB })) : null,
    n[1] ? (transB ? matmul(g, a, { transA: true, transB: transA }) : matmul(a, g, { transA: !transA })) : null,
  ],
};
