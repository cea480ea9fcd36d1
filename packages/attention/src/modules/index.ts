export { MultiHeadAttention, type MultiHeadAttentionOptions } from "./multi-head-attention.js";
export { multiHeadAttentionForward, type MhaConfig, type MhaForwardOptions, type MhaOutput, type MhaParams } from "./mha-functional.js";
export { ResidualSelfAttention, type ResidualSelfAttentionOptions, type ResidualSelfAttentionForwardOptions } from "./residual-self-attention.js";
export type { TransformerLayerOptions } from "./transformer-common.js";
export { TransformerEncoderLayer, type EncoderLayerForwardOptions } from "./transformer-encoder-layer.js";
export { TransformerDecoderLayer, createDecoderLayerCache, type DecoderLayerCache, type DecoderLayerForwardOptions } from "./transformer-decoder-layer.js";
export {
  TransformerEncoder, TransformerDecoder, generateSquareSubsequentMask, type DecoderForwardOptions, type EncoderForwardOptions, type TransformerStackOptions,
} from "./transformer-stack.js";
export { createKeyValueCache, cachedLength, selectCacheRows, type KeyValueCache } from "./kv-cache.js";
export { SinusoidalPositionalEncoding, LearnedPositionalEncoding, type PositionalEncodingOptions } from "./positional-encoding.js";
