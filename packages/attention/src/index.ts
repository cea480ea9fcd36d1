/**
 * @heed/attention — dot-product, scaled dot-product, multi-head and residual self-attention,
 * Transformer layers, an encoder–decoder model (Seq2SeqTransformer) and exact memory-efficient
 * attention, with PyTorch semantics.
 * Shape letters: B batch, L query length, S key length, H heads, E embedding, D head dim.
 */
export * from "./functional/index.js";
export * from "./modules/index.js";
export * from "./models/index.js";
