import { LearnedPositionalEncoding } from "@heed/attention";
import { Linear, Module, ModuleList } from "@heed/nn";
import { mean, mul, reshape, softmax, type Generator, type Tensor } from "@heed/tensor-core";
import type { AttentionKind } from "../config.js";
import { AttentionMixer } from "./common-mixer.js";

/** What a seed model shows to `heed attention`: weights [B, H, rows, F] per named layer. */
export interface SeedModel extends Module {
  forward(x: Tensor): Tensor;
  attentionLayers(x: Tensor): { title: string; weights: Tensor }[];
}

/**
 * The seed article's model: softmax attention weights over the F input features
 * (Dense(F→F) + softmax), the weighted inputs x ⊙ weights, and Dense(F→1).
 * x [B, F] → ŷ [B, 1].
 */
export class FeatureAttentionModel extends Module implements SeedModel {
  readonly attention: Linear;
  readonly dense: Linear;

  constructor(features: number, rng: Generator) {
    super();
    this.attention = this.registerModule("attention", new Linear(features, features, { rng }));
    this.dense = this.registerModule("dense", new Linear(features, 1, { rng }));
  }

  /** The softmax weights over the features, [B, F]. */
  featureWeights(x: Tensor): Tensor {
    return softmax(this.attention.forward(x), -1);
  }

  override forward(x: Tensor): Tensor {
    return this.dense.forward(mul(x, this.featureWeights(x)));
  }

  attentionLayers(x: Tensor): { title: string; weights: Tensor }[] {
    const [B, F] = x.shape as [number, number];
    return [{ title: "softmax weights over the input features", weights: reshape(this.featureWeights(x), [B, 1, 1, F]) }];
  }
}

export interface SequenceModelOptions {
  features: number;
  kind: AttentionKind;
  dModel: number;
  heads: number;
  layers: number;
  dropout: number;
  rng: Generator;
}

/**
 * The same regression with the features as a sequence of F tokens, token f = x_f·w + b +
 * pos_f (E wide), mixed by `layers` attention layers of one kind, mean-pooled, then Dense(E→1);
 * so the seed's four mechanisms can be compared on the same data. x [B, F] → ŷ [B, 1].
 */
export class SequenceAttentionModel extends Module implements SeedModel {
  readonly value: Linear;
  readonly position: LearnedPositionalEncoding;
  readonly mixers: ModuleList<AttentionMixer>;
  readonly dense: Linear;

  constructor({ features, kind, dModel, heads, layers, dropout, rng }: SequenceModelOptions) {
    super();
    this.value = this.registerModule("value", new Linear(1, dModel, { rng }));
    this.position = this.registerModule("position", new LearnedPositionalEncoding({ dModel, maxLen: features, rng }));
    const mixers = Array.from({ length: layers }, () => new AttentionMixer({ kind, dModel, heads, dropout, rng }));
    this.mixers = this.registerModule("mixers", new ModuleList(mixers));
    this.dense = this.registerModule("dense", new Linear(dModel, 1, { rng }));
  }

  /** x [B, F] → tokens [B, F, E]. */
  tokens(x: Tensor): Tensor {
    const [B, F] = x.shape as [number, number];
    return this.position.forward(this.value.forward(reshape(x, [B, F, 1])));
  }

  override forward(x: Tensor): Tensor {
    let h = this.tokens(x);
    for (const m of this.mixers) h = m.forward(h);
    return this.dense.forward(mean(h, 1));
  }

  attentionLayers(x: Tensor): { title: string; weights: Tensor }[] {
    let h = this.tokens(x);
    const out: { title: string; weights: Tensor }[] = [];
    let i = 0;
    for (const m of this.mixers) {
      out.push({ title: `layer ${++i} (${m.kind})`, weights: m.weights(h) });
      h = m.forward(h);
    }
    return out;
  }
}
