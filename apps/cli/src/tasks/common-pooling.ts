import { Linear, Module } from "@heed/nn";
import { maskedFill, matmul, reshape, softmax, squeeze, type Generator, type Tensor } from "@heed/tensor-core";

/**
 * Attention pooling (Bahdanau-style additive scores, as in Lin et al. 2017's self-attentive
 * sentence embedding with one hop): a learned score per token, softmax over the positions that
 * are not padding, and the weighted sum of the tokens. h [B, L, E] → pooled [B, E], weights [B, L].
 */
export class AttentionPooling extends Module {
  readonly score: Linear;

  constructor(dModel: number, rng: Generator) {
    super();
    this.score = this.registerModule("score", new Linear(dModel, 1, { rng }));
  }

  /** h [B, L, E], keyPaddingMask bool [B, L] (TRUE = padding). */
  override forward(h: Tensor, keyPaddingMask: Tensor | null = null): { pooled: Tensor; weights: Tensor } {
    const [B, L, E] = h.shape as [number, number, number];
    let scores = squeeze(this.score.forward(h), -1); // [B, L]
    if (keyPaddingMask !== null) scores = maskedFill(scores, keyPaddingMask, -Infinity);
    const weights = softmax(scores, -1);
    const pooled = reshape(matmul(reshape(weights, [B, 1, L]), h), [B, E]);
    return { pooled, weights };
  }
}
