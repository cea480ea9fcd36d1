/** Fused kernels: the typed-array contract, the reference implementations and the lookup. */
export type {
  AttentionBackwardArgs, AttentionBackwardKernel, AttentionBackwardResult, AttentionDropoutArg, AttentionForwardKernel,
  AttentionForwardResult, AttentionLayout, AttentionMaskArg, AttentionProblem,
} from "./attention-kernel.js";
export type { FloatArray } from "./float-array.js";
export { referenceFusedKernels, type FusedKernelName, type FusedKernels } from "./kernels.js";
export { layoutOf } from "./attention-kernel.js";
export { attentionForwardReference } from "./attention-forward.js";
export { attentionBackwardReference } from "./attention-backward.js";
export { dropoutFactor, dropoutUniform } from "./dropout-hash.js";
export { dropoutReference, dropoutScale, type DropoutArgs, type DropoutKernel } from "./dropout.js";
export {
  layerNormBackwardReference, layerNormForwardReference, type LayerNormArgs, type LayerNormBackwardArgs, type LayerNormBackwardKernel,
  type LayerNormBackwardResult, type LayerNormForwardKernel, type LayerNormForwardResult,
} from "./layer-norm.js";
export { fusedKernelFor, hasNativeFusedKernel, referenceFusedKernel } from "../backend/registry.js";
export { adamStepMultiReference, adamStepReference, type AdamStepArgs, type AdamStepKernel, type AdamStepMultiArgs, type AdamStepMultiKernel } from "./adam.js";
export { linearForwardReference, type LinearArgs, type LinearForwardKernel } from "./linear.js";
export { linearBackwardReference, type LinearBackwardArgs, type LinearBackwardKernel, type LinearBackwardResult } from "./linear-backward.js";
export {
  linearReluDropoutReference, reluDropoutBackwardReference, type LinearReluDropoutArgs, type LinearReluDropoutKernel, type ReluDropoutBackwardArgs,
  type ReluDropoutBackwardKernel,
} from "./linear-relu-dropout.js";
export {
  softmaxCrossEntropyReference, type SoftmaxCrossEntropyArgs, type SoftmaxCrossEntropyKernel, type SoftmaxCrossEntropyResult,
} from "./cross-entropy.js";
export {
  residualLayerNormBackwardReference, residualLayerNormForwardReference, type ResidualLayerNormArgs, type ResidualLayerNormBackwardArgs,
  type ResidualLayerNormBackwardKernel, type ResidualLayerNormBackwardResult, type ResidualLayerNormForwardKernel, type ResidualLayerNormForwardResult,
} from "./residual-layer-norm.js";
export {
  embeddingPositionsBackwardReference, embeddingPositionsForwardReference, type EmbeddingPositionsArgs, type EmbeddingPositionsBackwardArgs,
  type EmbeddingPositionsBackwardKernel, type EmbeddingPositionsForwardKernel,
} from "./embedding-positions.js";
