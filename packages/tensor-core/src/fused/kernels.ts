/**
 * The table of fused kernels. Each entry is the plain TypeScript reference kernel, which
 * is the fallback of every backend and the oracle of faster ones. `FusedKernels` (what a
 * backend may supply in `Backend.fused`) is derived from this table, so adding a kernel is
 * one line here (see CONTRIBUTING.md, "How to add a fused kernel").
 */
import { adamStepMultiReference, adamStepReference } from "./adam.js";
import { attentionBackwardReference } from "./attention-backward.js";
import { attentionForwardReference } from "./attention-forward.js";
import { softmaxCrossEntropyReference } from "./cross-entropy.js";
import { dropoutReference } from "./dropout.js";
import { embeddingPositionsBackwardReference, embeddingPositionsForwardReference } from "./embedding-positions.js";
import { layerNormBackwardReference, layerNormForwardReference } from "./layer-norm.js";
import { linearForwardReference } from "./linear.js";
import { linearBackwardReference } from "./linear-backward.js";
import { residualLayerNormBackwardReference, residualLayerNormForwardReference } from "./residual-layer-norm.js";
import { linearReluDropoutReference, reluDropoutBackwardReference } from "./linear-relu-dropout.js";

export const referenceFusedKernels = {
  /** Exact memory-efficient attention (fused/attention-forward.ts). */
  attentionForward: attentionForwardReference,
  /** Its backward, recomputing the weights from the saved logsumexp (fused/attention-backward.ts). */
  attentionBackward: attentionBackwardReference,
  /** Counter-based element dropout (fused/dropout.ts). */
  dropout: dropoutReference,
  /** Layer norm over contiguous rows (fused/layer-norm.ts). */
  layerNormForward: layerNormForwardReference,
  layerNormBackward: layerNormBackwardReference,
  /** layerNorm(x + dropout(s)) and its backward (fused/residual-layer-norm.ts). */
  residualLayerNormForward: residualLayerNormForwardReference,
  residualLayerNormBackward: residualLayerNormBackwardReference,
  /** One Adam / AdamW parameter update in place (fused/adam.ts). */
  adamStep: adamStepReference,
  /** The same update of many parameters sharing hyperparameters and step count (multi-tensor; fused/adam.ts). */
  adamStepMulti: adamStepMultiReference,
  /** x·Wᵀ + b (fused/linear.ts). */
  linearForward: linearForwardReference,
  /** Its three gradients dx, dW, db from one copy of dL/dy (fused/linear-backward.ts). */
  linearBackward: linearBackwardReference,
  /** dropout(relu(x·Wᵀ + b)) and its backward from the output (fused/linear-relu-dropout.ts). */
  linearReluDropout: linearReluDropoutReference,
  reluDropoutBackward: reluDropoutBackwardReference,
  /** Softmax cross-entropy with ignore index and label smoothing: per-row losses and their gradient in one pass (fused/cross-entropy.ts). */
  softmaxCrossEntropy: softmaxCrossEntropyReference,
  /** dropout(W[ids]·s + P[positions]) and its scatter-add backward (fused/embedding-positions.ts). */
  embeddingPositionsForward: embeddingPositionsForwardReference,
  embeddingPositionsBackward: embeddingPositionsBackwardReference,
};

/** Fused kernels a backend may supply (`Backend.fused`); missing ones fall back to the reference. */
export type FusedKernels = typeof referenceFusedKernels;

export type FusedKernelName = keyof FusedKernels;
