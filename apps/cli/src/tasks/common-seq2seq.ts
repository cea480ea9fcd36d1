import { Seq2SeqTransformer } from "@heed/attention";
import type { Seq2SeqBatch } from "@heed/data";
import { crossEntropy } from "@heed/nn";
import { reshape, type Generator, type Tensor } from "@heed/tensor-core";
import type { TrainConfig } from "../config.js";

/**
 * The g2p and translate model: @heed/attention's post-norm Seq2SeqTransformer with `--layers`
 * encoder and decoder layers, `--heads`, `--d-model`, `--ff` and `--dropout`. Its weights are
 * drawn from `rng` in a fixed order, so the same seed gives the same model (and checkpoints
 * written before the model moved into the library load unchanged: same names, same shapes).
 * `tied`: the generator's weight is the target embedding's (`shareDecoderInputOutputEmbed`);
 * `decoderLayers`: that many decoder layers instead of `--layers`.
 */
export function seq2seqModel(config: TrainConfig, vocab: { src: number; tgt: number }, maxLen: number, rng: Generator, options: { tied?: boolean; decoderLayers?: number } = {}): Seq2SeqTransformer {
  return new Seq2SeqTransformer({
    srcVocab: vocab.src, tgtVocab: vocab.tgt, dModel: config.dModel, nhead: config.heads, numEncoderLayers: config.layers, numDecoderLayers: options.decoderLayers ?? config.layers,
    dimFeedforward: config.ff, dropout: config.dropout, maxLen, rng, ...(options.tied === true ? { shareDecoderInputOutputEmbed: true } : {}),
  });
}

/** Mean token cross-entropy of a teacher-forced batch (targets −100 are padding). */
export function seq2seqLoss(model: Seq2SeqTransformer, b: Seq2SeqBatch, labelSmoothing: number): Tensor {
  const logits = model.forward(b.src, b.tgtIn, { srcKeyPaddingMask: b.srcPaddingMask, tgtKeyPaddingMask: b.tgtPaddingMask });
  const [B, T, V] = logits.shape as [number, number, number];
  return crossEntropy(reshape(logits, [B * T, V]), reshape(b.tgtOut, [B * T]), { ignoreIndex: -100, labelSmoothing });
}
