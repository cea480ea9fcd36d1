/**
 * @heed/attention — dot-product, scaled dot-product, multi-head and residual self-attention,
 * Transformer layers, an encoder–decoder model (Seq2SeqTransformer), exact memory-efficient
 * attention and the Vision Transformer, with PyTorch semantics.
 * Shape letters: B batch, L query length, S key length, H heads, E embedding, D head dim.
 */
export * from "./functional/index.js";
export * from "./modules/index.js";
export * from "./models/index.js";
export * from "./vision/index.js";
