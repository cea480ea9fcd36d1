export { PatchEmbedding, type PatchEmbeddingOptions } from "./patch-embedding.js";
export { VisionEncoderBlock, type VisionEncoderBlockOptions, type BlockOutput } from "./encoder-block.js";
export { VisionTransformer, type VisionTransformerOptions } from "./vision-transformer.js";
export { attentionRollout, classTokenMap, type AttentionRolloutOptions } from "./attention-rollout.js";
