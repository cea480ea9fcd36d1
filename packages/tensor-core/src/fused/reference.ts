import { attentionBackwardReference } from "./attention-backward.js";
import type { FusedKernels } from "./attention-kernel.js";
import { attentionForwardReference } from "./attention-forward.js";
import { adamStepReference } from "./adam.js";
import { dropoutReference } from "./dropout.js";
import { linearForwardReference } from "./linear.js";
import { layerNormBackwardReference, layerNormForwardReference } from "./layer-norm.js";

/** The plain TypeScript fused kernels: the fallback of every backend and the oracle of faster ones. */
export const referenceFusedKernels: FusedKernels = {
  attentionForward: attentionForwardReference,
  attentionBackward: attentionBackwardReference,
  dropout: dropoutReference,
  layerNormForward: layerNormForwardReference,
  layerNormBackward: layerNormBackwardReference,
  adamStep: adamStepReference,
  linearForward: linearForwardReference,
};
