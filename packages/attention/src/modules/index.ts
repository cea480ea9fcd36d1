export { MultiHeadAttention, type MultiHeadAttentionOptions } from "./multi-head-attention.js";
export { mhaPath, type MhaPath, type MhaPathInputs } from "./mha-path.js";
export { multiHeadAttentionForward, type MhaConfig, type MhaForwardOptions, type MhaOutput, type MhaParams } from "./mha-functional.js";
export { ResidualSelfAttention, type ResidualSelfAttentionOptions, type ResidualSelfAttentionForwardOptions } from "./residual-self-attention.js";
export type { TransformerLayerOptions } from "./transformer-common.js";
export { TransformerEncoderLayer, type EncoderLayerForwardOptions } from "./transformer-encoder-layer.js";
export { TransformerDecoderLayer, type DecoderLayerForwardOptions } from "./transformer-decoder-layer.js";
export { TransformerEncoder, TransformerDecoder, generateSquareSubsequentMask, type EncoderForwardOptions, type TransformerStackOptions } from "./transformer-stack.js";
export { SinusoidalPositionalEncoding, LearnedPositionalEncoding, type PositionalEncodingOptions } from "./positional-encoding.js";
