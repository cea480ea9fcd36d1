import { generateSeq2Seq, type GenerateOptions, type Seq2SeqAttentionMaps, type Seq2SeqDecodeOptions, type Seq2SeqDecoderModel, type Seq2SeqForwardOptions, type Seq2SeqTransformer } from "@heed/attention";
import type { Seq2SeqBatch } from "@heed/data";
import { add, concat, logSoftmax, mul, slice, type Tensor } from "@heed/tensor-core";
import type { DecoderLayerCache } from "@heed/attention";
import { Ensemble } from "./common-ensemble.js";
import { seq2seqLoss } from "./common-seq2seq.js";

/** The mean of tensors of one shape. */
function mean(xs: readonly Tensor[]): Tensor {
  return xs.length === 1 ? xs[0]! : mul(xs.reduce((a, b) => add(a, b)), 1 / xs.length);
}

/**
 * K encoder–decoders decoded as one (Seq2SeqDecoderModel for `generateSeq2Seq`): `encode` puts
 * the members' memories side by side [B, S, K·E], `decode` runs each member on its part (with
 * its own layer caches) and returns the mean of their log-probabilities [B, T, V], so greedy
 * search takes the token with the highest geometric-mean probability and beam search scores
 * hypotheses by the (renormalised) geometric mean.
 */
export class JointDecoder implements Seq2SeqDecoderModel {
  readonly #members: readonly Seq2SeqTransformer[];
  readonly #layers: number[];
  readonly decoder: { createCache(): DecoderLayerCache[] };

  constructor(members: readonly Seq2SeqTransformer[]) {
    if (members.length === 0) throw new Error("JointDecoder: expected at least one member, got 0");
    this.#members = members;
    this.#layers = members.map((m) => m.decoder.createCache().length);
    this.decoder = { createCache: () => members.flatMap((m) => m.decoder.createCache()) };
  }

  encode(src: Tensor, srcKeyPaddingMask: Tensor | null = null): Tensor {
    return concat(this.#members.map((m) => m.encode(src, srcKeyPaddingMask)), 2);
  }

  decode(tgtIn: Tensor, memory: Tensor, options: Seq2SeqDecodeOptions = {}): Tensor {
    const [B, S, KE] = memory.shape as [number, number, number];
    const E = KE / this.#members.length;
    let first = 0;
    return mean(this.#members.map((m, k) => {
      const cache = options.cache?.slice(first, first + this.#layers[k]!) ?? null;
      first += this.#layers[k]!;
      const part = slice(memory, [0, 0, k * E], [B, S, (k + 1) * E]);
      return logSoftmax(m.decode(tgtIn, part, { ...options, cache }), -1);
    }));
  }
}

/**
 * K translation models of one shape trained side by side on the same batches (each on its own
 * loss, with its own initialisation and dropout masks; the loss is the mean of theirs) and
 * decoded jointly (JointDecoder): a deep ensemble in one module and one checkpoint
 * (`members.N.…` state-dict names). `forward` returns the members' mean log-probabilities.
 */
export class TranslateEnsemble extends Ensemble<Seq2SeqTransformer> {
  static override readonly typeName: string = "TranslateEnsemble";

  override forward(src: Tensor, tgtIn: Tensor, options: Seq2SeqForwardOptions = {}): Tensor {
    return this.average((m) => logSoftmax(m.forward(src, tgtIn, options), -1));
  }

  /** Mean of the members' teacher-forced losses. */
  loss(batch: Seq2SeqBatch, labelSmoothing: number): Tensor {
    return mean(this.each((m) => seq2seqLoss(m, batch, labelSmoothing)));
  }

  generate(src: Tensor, options: GenerateOptions): number[][] {
    return generateSeq2Seq(new JointDecoder([...this.members]), this.first.options.tgtVocab, src, options);
  }

  /** The first member's attention maps (what `heed attention` draws). */
  attentionMaps(src: Tensor, tgtIn: Tensor, options: Pick<Seq2SeqForwardOptions, "srcKeyPaddingMask"> = {}): Seq2SeqAttentionMaps {
    return this.first.attentionMaps(src, tgtIn, options);
  }
}

/** The translate model: one Seq2SeqTransformer or an ensemble of them. */
export type TranslateModel = Seq2SeqTransformer | TranslateEnsemble;

/** Mean token cross-entropy of a teacher-forced batch (an ensemble: the mean of its members'). */
export function translateLoss(model: TranslateModel, batch: Seq2SeqBatch, labelSmoothing: number): Tensor {
  return model instanceof TranslateEnsemble ? model.loss(batch, labelSmoothing) : seq2seqLoss(model, batch, labelSmoothing);
}
