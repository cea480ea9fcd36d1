export { Seq2SeqTransformer, type Seq2SeqAttentionMaps, type Seq2SeqForwardOptions } from "./seq2seq.js";
export type { Seq2SeqTransformerOptions } from "./seq2seq-options.js";
export { Seq2SeqDecoding, type DecodingOptions, type Seq2SeqDecodeOptions, type Seq2SeqDecoderModel } from "./seq2seq-decoding.js";
export { decodeTokens, generate as generateSeq2Seq, type GenerateOptions, type TokenChooser, type TokenDecodingOptions } from "./seq2seq-generate.js";
export { TiedLinear } from "./seq2seq-tied.js";
