import { checkOptions, describeValue, type Generator, type OptionKeys } from "@heed/tensor-core";

/** `Seq2SeqTransformer`'s options (torch.nn.Transformer's names, in camelCase, plus the vocabularies). */
export interface Seq2SeqTransformerOptions {
  /** Source vocabulary size (rows of src_embed). */
  srcVocab: number;
  /** Target vocabulary size (rows of tgt_embed, columns of the generator's output). */
  tgtVocab: number;
  /** E: model width. */
  dModel: number;
  /** H: attention heads; dModel must be divisible by nhead. */
  nhead: number;
  /** Encoder layers (default 6). */
  numEncoderLayers?: number;
  /** Decoder layers (default 6). */
  numDecoderLayers?: number;
  /** Feed-forward width (default 2048). */
  dimFeedforward?: number;
  /** Dropout on the positional sums, attention weights and sublayer outputs (default 0.1). */
  dropout?: number;
  /** Feed-forward activation (default "relu"). */
  activation?: "relu" | "gelu";
  /** LayerNorm epsilon (default 1e-5). */
  layerNormEps?: number;
  /** Pre-norm layers, with a final LayerNorm after each stack (default false: post-norm, no final norm). */
  normFirst?: boolean;
  /** Longest source or target sequence, for the positional table (default 512). */
  maxLen?: number;
  /** Token id of padding in both vocabularies: its embedding rows are zero and get no gradient (default 0; null for none). */
  paddingIdx?: number | null;
  /**
   * Tie the generator's weight to the target embedding's (one [tgtVocab, E] Parameter used by both,
   * fairseq's `share_decoder_input_output_embed`; the generator keeps its own bias). Default false.
   * The padding row then receives gradient through the generator (as in PyTorch with tied weights).
   */
  shareDecoderInputOutputEmbed?: boolean;
  /** Generator for the initial weights and dropout (default: @heed/nn's default generator). */
  rng?: Generator;
  /** Parameter dtype (default "float32"). */
  dtype?: "float32" | "float64";
}

export type ResolvedSeq2SeqOptions = Required<Omit<Seq2SeqTransformerOptions, "rng">> & { rng: Generator | undefined };

const FN = "Seq2SeqTransformer";

const KEYS: OptionKeys<Seq2SeqTransformerOptions> = {
  srcVocab: true, tgtVocab: true, dModel: true, nhead: true, numEncoderLayers: true, numDecoderLayers: true, dimFeedforward: true, dropout: true,
  activation: true, layerNormEps: true, normFirst: true, maxLen: true, paddingIdx: true, shareDecoderInputOutputEmbed: true, rng: true, dtype: true,
};

export function resolveSeq2SeqOptions(options: Seq2SeqTransformerOptions): ResolvedSeq2SeqOptions {
  const checked = checkOptions(FN, options, KEYS);
  const o: ResolvedSeq2SeqOptions = {
    numEncoderLayers: 6, numDecoderLayers: 6, dimFeedforward: 2048, dropout: 0.1, activation: "relu", layerNormEps: 1e-5, normFirst: false, maxLen: 512, paddingIdx: 0, shareDecoderInputOutputEmbed: false, dtype: "float32",
    ...checked, rng: checked.rng,
  };
  const positive = ["srcVocab", "tgtVocab", "dModel", "nhead", "numEncoderLayers", "numDecoderLayers", "dimFeedforward", "maxLen"] as const;
  for (const name of positive) {
    const n = o[name];
    if (!Number.isInteger(n) || n <= 0) throw new Error(`${FN}: ${name} must be a positive integer, got ${describeValue(n)}`);
  }
  if (o.dModel % o.nhead !== 0) throw new Error(`${FN}: dModel ${o.dModel} is not divisible by nhead ${o.nhead}`);
  if (!(o.dropout >= 0 && o.dropout <= 1)) throw new Error(`${FN}: dropout must be in [0, 1], got ${o.dropout}`);
  if (typeof o.shareDecoderInputOutputEmbed !== "boolean") throw new Error(`${FN}: shareDecoderInputOutputEmbed must be a boolean, got ${String(o.shareDecoderInputOutputEmbed)}`);
  const p = o.paddingIdx;
  if (p !== null && (!Number.isInteger(p) || p < 0 || p >= Math.min(o.srcVocab, o.tgtVocab))) {
    throw new Error(`${FN}: paddingIdx must be null or an id below both vocabulary sizes (srcVocab ${o.srcVocab}, tgtVocab ${o.tgtVocab}), got ${p}`);
  }
  return o;
}
