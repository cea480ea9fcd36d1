import type { Generator, Tensor } from "@heed/tensor-core";

/**
 * The mask of the FUNCTIONAL ops (`scaledDotProductAttention`, `dotProductAttention`), with
 * PyTorch SDPA's convention, broadcast to the weights' shape [..., L, S]:
 * - bool: **TRUE = this query may attend to this key (takes part)**; false adds −∞.
 * - float: added to the scaled scores (−∞ hides a key; gradients flow into it).
 * This is the OPPOSITE of `MaskedOutBoolMask`, used by `MultiHeadAttention` and the Transformer layers.
 */
export type TakePartMask = Tensor;

/**
 * The mask of `MultiHeadAttention` and the Transformer layers, with torch.nn.MultiheadAttention's
 * convention: bool **TRUE = MASKED OUT (ignored)**; float added to the scores. This is the
 * OPPOSITE of the functional ops' `TakePartMask`.
 */
export type MaskedOutBoolMask = Tensor;

/** Which implementation computes the attention. */
export type AttentionImplementation = "auto" | "composed" | "memoryEfficient";

export interface AttentionOptions {
  /** [..., L, S] or broadcastable to it; bool TRUE = takes part (see `TakePartMask`), float is added. */
  attnMask?: TakePartMask | null;
  /** Apply tril(ones(L, S)) (key j visible to query i iff j <= i, aligned top-left). Not with attnMask. */
  isCausal?: boolean;
  /** Multiplies q·kᵀ; default 1/√E for scaledDotProductAttention and 1 for dotProductAttention. */
  scale?: number | null;
  /** Dropout probability on the attention weights (only applied when > 0). */
  dropoutP?: number;
  /** Generator for dropout (default: @heed/nn's default generator, reseeded by `manualSeed`). */
  rng?: Generator;
  /** Also return the attention weights [..., L, S] (after dropout, as used). Needs the composed path. */
  returnWeights?: boolean;
  /**
   * "composed" materialises the [..., L, S] weights; "memoryEfficient" is exact blocked attention
   * whose extra memory grows with L·D; "auto" (default) picks memoryEfficient, unless the weights
   * are requested, when the active backend has native fused kernels (wasm) and q is float32,
   * or when L·S > 2^20 or B·H·L·S > 2^26.
   */
  implementation?: AttentionImplementation;
}

/** Output [..., L, Ev] and, when `returnWeights`, the weights [..., L, S]. */
export interface AttentionResult {
  output: Tensor;
  weights: Tensor;
}
