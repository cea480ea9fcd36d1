import { Embedding, getDefaultGenerator, init, Linear, Module } from "@heed/nn";
import { formatShape, type Generator, type Tensor } from "@heed/tensor-core";
import type { MaskedOutBoolMask } from "../functional/types.js";
import { SinusoidalPositionalEncoding } from "../modules/positional-encoding.js";
import { cachedLength } from "../modules/kv-cache.js";
import type { DecoderLayerCache } from "../modules/transformer-decoder-layer.js";
import { TransformerDecoder, TransformerEncoder } from "../modules/transformer-stack.js";
import type { Seq2SeqDecodeOptions } from "./seq2seq-decoding.js";
import { generate, type GenerateOptions } from "./seq2seq-generate.js";
import { TiedLinear } from "./seq2seq-tied.js";
import { resolveSeq2SeqOptions, type ResolvedSeq2SeqOptions, type Seq2SeqTransformerOptions } from "./seq2seq-options.js";

export interface Seq2SeqForwardOptions {
  /** [B, S]: TRUE marks padded source positions (masked out in the encoder and the cross-attention). */
  srcKeyPaddingMask?: MaskedOutBoolMask | null;
  /** [B, T]: TRUE marks padded target positions. */
  tgtKeyPaddingMask?: MaskedOutBoolMask | null;
}

/** `Seq2SeqTransformer.attentionMaps`: per-head weights, one tensor per layer. */
export interface Seq2SeqAttentionMaps {
  /** [B, H, S, S] per encoder layer. */
  encoder: Tensor[];
  /** [B, H, T, T] per decoder layer (causal). */
  decoderSelf: Tensor[];
  /** [B, H, T, S] per decoder layer. */
  cross: Tensor[];
}

/**
 * A Transformer encoder–decoder for sequence transduction (Vaswani et al., "Attention Is All
 * You Need", 2017): source and target token embeddings scaled by √E (initialised N(0, 1/E), so
 * they start at unit variance), sinusoidal positions, `TransformerEncoder` and
 * `TransformerDecoder` stacks and a linear `generator` over the target vocabulary.
 * src [B, S] int32, tgtIn [B, T] int32 (causal) → logits [B, T, V]. State-dict names:
 * src_embed.weight, tgt_embed.weight, encoder.layers.N.…, decoder.layers.N.…, generator.*
 * (and encoder.norm / decoder.norm with normFirst). With `shareDecoderInputOutputEmbed` the
 * generator's weight is the target embedding's (same names; `parameters()` lists it once). Greedy and beam `generate` decode with a
 * key/value cache; `attentionMaps` returns every layer's and head's weights.
 *
 * @example
 * const model = new Seq2SeqTransformer({ srcVocab: 30, tgtVocab: 40, dModel: 32, nhead: 4, numEncoderLayers: 2, numDecoderLayers: 2, rng: new Generator(0) });
 * const logits = model.forward(tensor([[5, 6, 7]], undefined, "int32"), tensor([[1, 8]], undefined, "int32"));   // [1, 2, 40]
 */
export class Seq2SeqTransformer extends Module {
  static override readonly typeName: string = "Seq2SeqTransformer";
  readonly srcEmbed: Embedding;
  readonly tgtEmbed: Embedding;
  readonly pos: SinusoidalPositionalEncoding;
  readonly encoder: TransformerEncoder;
  readonly decoder: TransformerDecoder;
  /** The output projection: a Linear, or with `shareDecoderInputOutputEmbed` a TiedLinear whose weight is `tgtEmbed.weight`. */
  readonly generator: Linear | TiedLinear;
  /** The options with their defaults filled in. */
  readonly options: Readonly<Omit<ResolvedSeq2SeqOptions, "rng">>;
  readonly #scale: number;

  constructor(options: Seq2SeqTransformerOptions) {
    super();
    const o = resolveSeq2SeqOptions(options);
    const { dModel: E, paddingIdx, dtype } = o;
    const { rng: given, ...rest } = o;
    const rng: Generator = given ?? getDefaultGenerator();
    this.options = rest;
    this.#scale = Math.sqrt(E);
    this.srcEmbed = this.registerModule("src_embed", new Embedding(o.srcVocab, E, { paddingIdx, rng, dtype }));
    this.tgtEmbed = this.registerModule("tgt_embed", new Embedding(o.tgtVocab, E, { paddingIdx, rng, dtype }));
    for (const emb of [this.srcEmbed, this.tgtEmbed]) {
      init.normal_(emb.weight, 0, 1 / Math.sqrt(E), rng); // × √E in embedSrc/embedTgt: unit variance at the start
      if (paddingIdx !== null) emb.weight.data.fill(0, paddingIdx * E, (paddingIdx + 1) * E); // the padding row stays zero
    }
    this.pos = this.registerModule("pos", new SinusoidalPositionalEncoding({ dModel: E, maxLen: o.maxLen, dropout: o.dropout, rng, dtype }));
    const layer = { dModel: E, nhead: o.nhead, dimFeedforward: o.dimFeedforward, dropout: o.dropout, activation: o.activation, layerNormEps: o.layerNormEps, normFirst: o.normFirst, rng, dtype };
    this.encoder = this.registerModule("encoder", new TransformerEncoder({ layer, numLayers: o.numEncoderLayers, norm: o.normFirst }));
    this.decoder = this.registerModule("decoder", new TransformerDecoder({ layer, numLayers: o.numDecoderLayers, norm: o.normFirst }));
    const generator = o.shareDecoderInputOutputEmbed ? new TiedLinear(this.tgtEmbed.weight, rng) : new Linear(E, o.tgtVocab, { rng, dtype });
    this.generator = this.registerModule("generator", generator);
  }

  /** src [B, S] int32 → embedded and position-encoded [B, S, E]. */
  embedSrc(src: Tensor): Tensor {
    checkIds("Seq2SeqTransformer.embedSrc", "src", src);
    return this.pos.embed(src, this.srcEmbed, this.#scale);
  }

  /** tgt [B, T] int32 at positions offset.. → [B, T, E]. */
  embedTgt(tgt: Tensor, offset = 0): Tensor {
    checkIds("Seq2SeqTransformer.embedTgt", "tgt", tgt);
    return this.pos.embed(tgt, this.tgtEmbed, this.#scale, offset);
  }

  /** src [B, S] → memory [B, S, E]. */
  encode(src: Tensor, srcKeyPaddingMask: MaskedOutBoolMask | null = null): Tensor {
    return this.encoder.forward(this.embedSrc(src), { srcKeyPaddingMask });
  }

  /** tgtIn [B, T] (causal) over memory [B, S, E] → decoder states [B, T, E] (before the generator). */
  decodeHidden(tgtIn: Tensor, memory: Tensor, options: Seq2SeqDecodeOptions = {}): Tensor {
    const cache = options.cache ?? null;
    const offset = options.offset ?? (cache === null ? 0 : cachedPositions(cache));
    return this.decoder.forward(this.embedTgt(tgtIn, offset), memory, {
      tgtIsCausal: true, tgtKeyPaddingMask: options.tgtKeyPaddingMask ?? null, memoryKeyPaddingMask: options.memoryKeyPaddingMask ?? null, cache,
    });
  }

  /** tgtIn [B, T] (causal) over memory [B, S, E] → logits [B, T, V]. */
  decode(tgtIn: Tensor, memory: Tensor, options: Seq2SeqDecodeOptions = {}): Tensor {
    return this.generator.forward(this.decodeHidden(tgtIn, memory, options));
  }

  /** src [B, S], tgtIn [B, T] (teacher forcing, causal) → logits [B, T, V]. */
  override forward(src: Tensor, tgtIn: Tensor, options: Seq2SeqForwardOptions = {}): Tensor {
    const srcKeyPaddingMask = options.srcKeyPaddingMask ?? null;
    return this.decode(tgtIn, this.encode(src, srcKeyPaddingMask), { memoryKeyPaddingMask: srcKeyPaddingMask, tgtKeyPaddingMask: options.tgtKeyPaddingMask ?? null });
  }

  /**
   * Greedy (numBeams 1, the default) or beam-search decoding of src [B, S] with the key/value
   * cache: per row, the ids after bos up to (not including) eos. Call in eval mode inside `noGrad`.
   */
  generate(src: Tensor, options: GenerateOptions): number[][] {
    // step t feeds position t, so maxSteps positions must fit the positional table (checked up
    // front: otherwise only rows that never emit eos would reach the end of the table and fail there)
    const { maxLen } = this.options;
    if (typeof options?.maxSteps === "number" && options.maxSteps > maxLen) {
      throw new Error(`Seq2SeqTransformer.generate: maxSteps must be at most maxLen (${maxLen}, the positional table's length), got ${options.maxSteps}`);
    }
    return generate(this, this.options.tgtVocab, src, options);
  }

  /**
   * Per-head attention weights of every layer for src [B, S] and tgtIn [B, T] (teacher forcing):
   * encoder self-attention [B, H, S, S], decoder self-attention [B, H, T, T] and cross-attention
   * [B, H, T, S], one tensor per layer — from the layers' own forward passes.
   */
  attentionMaps(src: Tensor, tgtIn: Tensor, options: Pick<Seq2SeqForwardOptions, "srcKeyPaddingMask"> = {}): Seq2SeqAttentionMaps {
    const maps: Seq2SeqAttentionMaps = { encoder: [], decoderSelf: [], cross: [] };
    const srcKeyPaddingMask = options.srcKeyPaddingMask ?? null;
    const memory = this.encoder.forward(this.embedSrc(src), { srcKeyPaddingMask, onAttentionWeights: (_, w) => maps.encoder.push(w) });
    this.decoder.forward(this.embedTgt(tgtIn), memory, {
      tgtIsCausal: true, memoryKeyPaddingMask: srcKeyPaddingMask, onAttentionWeights: (kind, w) => (kind === "self" ? maps.decoderSelf : maps.cross).push(w),
    });
    return maps;
  }

  override extraRepr(): string {
    const o = this.options;
    return `src_vocab=${o.srcVocab}, tgt_vocab=${o.tgtVocab}, d_model=${o.dModel}, nhead=${o.nhead}, layers=${o.numEncoderLayers}+${o.numDecoderLayers}, norm_first=${o.normFirst}${o.shareDecoderInputOutputEmbed ? ", tied" : ""}`;
  }
}

function cachedPositions(cache: readonly DecoderLayerCache[]): number {
  return cache[0] === undefined ? 0 : cachedLength(cache[0].self);
}

function checkIds(fn: string, name: string, ids: Tensor): void {
  if (ids.rank !== 2 || ids.dtype !== "int32") throw new Error(`${fn}: ${name} must be int32 token ids [B, ${name === "src" ? "S" : "T"}], got ${ids.dtype} ${formatShape(ids.shape)}`);
}
