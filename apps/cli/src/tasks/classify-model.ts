import { SinusoidalPositionalEncoding } from "@heed/attention";
import { Dropout, Linear, Module, ModuleList } from "@heed/nn";
import type { Generator, Tensor } from "@heed/tensor-core";
import type { AttentionKind } from "../config.js";
import { AttentionMixer } from "./common-mixer.js";
import { Ensemble } from "./common-ensemble.js";
import { AttentionPooling } from "./common-pooling.js";
import { SubwordEmbedding } from "./common-subword.js";

export interface ClassifierOptions {
  vocabSize: number;
  /** Hash buckets of the character n-gram embeddings. */
  buckets: number;
  classes: number;
  kind: AttentionKind;
  dModel: number;
  heads: number;
  layers: number;
  dropout: number;
  maxLen: number;
  rng: Generator;
}

/**
 * Text classifier: fastText-style word embeddings (the mean of the word's vector and its hashed
 * character n-gram vectors, and its hashed WordNet feature vectors, all in `grams`) + sinusoidal positions, `layers` self-attention layers of the chosen
 * mechanism, attention pooling over the non-padding words, and a linear layer to the class
 * logits. ids int32 [B, L], padding bool [B, L] (TRUE = padding), grams int32 [B, L, G],
 * scale [B, L, 1] (see `subwordBatch`) → logits [B, C].
 */
export class AttentionClassifier extends Module {
  readonly embed: SubwordEmbedding;
  readonly pos: SinusoidalPositionalEncoding;
  readonly mixers: ModuleList<AttentionMixer>;
  readonly pool: AttentionPooling;
  readonly dropout: Dropout;
  readonly head: Linear;

  constructor({ vocabSize, buckets, classes, kind, dModel, heads, layers, dropout, maxLen, rng }: ClassifierOptions) {
    super();
    this.embed = this.registerModule("embed", new SubwordEmbedding(vocabSize, buckets, dModel, rng));
    this.pos = this.registerModule("pos", new SinusoidalPositionalEncoding({ dModel, maxLen, dropout, rng }));
    const mixers = Array.from({ length: layers }, () => new AttentionMixer({ kind, dModel, heads, dropout, rng }));
    this.mixers = this.registerModule("mixers", new ModuleList(mixers));
    this.pool = this.registerModule("pool", new AttentionPooling(dModel, rng));
    this.dropout = this.registerModule("dropout", new Dropout(dropout, { rng }));
    this.head = this.registerModule("head", new Linear(dModel, classes, { rng }));
  }

  /** Token states after every mixer, with each mixer's weights [B, H, L, L] when `withWeights`. */
  encode(ids: Tensor, padding: Tensor, grams: Tensor, scale: Tensor, withWeights = false): { h: Tensor; weights: Tensor[] } {
    let h = this.pos.forward(this.embed.forward(ids, grams, scale));
    const weights: Tensor[] = [];
    for (const m of this.mixers) {
      if (withWeights) weights.push(m.weights(h, padding));
      h = m.forward(h, padding);
    }
    return { h, weights };
  }

  override forward(ids: Tensor, padding: Tensor, grams: Tensor, scale: Tensor): Tensor {
    const { pooled } = this.pool.forward(this.encode(ids, padding, grams, scale).h, padding);
    return this.head.forward(this.dropout.forward(pooled));
  }
}

/** K classifiers trained side by side; the logits [B, C] are the mean of the members' logits. */
export class ClassifierEnsemble extends Ensemble<AttentionClassifier> {
  override forward(ids: Tensor, padding: Tensor, grams: Tensor, scale: Tensor): Tensor {
    return this.average((m) => m.forward(ids, padding, grams, scale));
  }
}
