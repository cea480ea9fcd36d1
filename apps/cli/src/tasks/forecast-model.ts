import { LearnedPositionalEncoding } from "@heed/attention";
import { Dropout, Linear, Module, ModuleList } from "@heed/nn";
import { add, reshape, type Generator, type Tensor } from "@heed/tensor-core";
import type { AttentionKind } from "../config.js";
import { AttentionMixer } from "./common-mixer.js";
import { Ensemble } from "./common-ensemble.js";
import { AttentionPooling } from "./common-pooling.js";

export interface ForecasterOptions {
  /** W: time steps per input window. */
  window: number;
  kind: AttentionKind;
  dModel: number;
  heads: number;
  layers: number;
  dropout: number;
  rng: Generator;
}

/**
 * Attention forecaster: each of the W past values becomes a token (value·w + b + a learned
 * position), `layers` self-attention layers of the chosen mechanism mix them, attention pooling
 * summarises the window and a linear layer predicts the next step, added to a linear
 * autoregressive skip over the raw window (so the attention path learns what a linear AR(W)
 * model misses). x [B, W] → ŷ [B, 1].
 */
export class AttentionForecaster extends Module {
  readonly value: Linear;
  readonly position: LearnedPositionalEncoding;
  readonly mixers: ModuleList<AttentionMixer>;
  readonly pool: AttentionPooling;
  readonly dropout: Dropout;
  readonly head: Linear;
  readonly ar: Linear;

  constructor({ window, kind, dModel, heads, layers, dropout, rng }: ForecasterOptions) {
    super();
    this.value = this.registerModule("value", new Linear(1, dModel, { rng }));
    this.position = this.registerModule("position", new LearnedPositionalEncoding({ dModel, maxLen: window, rng }));
    const mixers = Array.from({ length: layers }, () => new AttentionMixer({ kind, dModel, heads, dropout, rng }));
    this.mixers = this.registerModule("mixers", new ModuleList(mixers));
    this.pool = this.registerModule("pool", new AttentionPooling(dModel, rng));
    this.dropout = this.registerModule("dropout", new Dropout(dropout, { rng }));
    this.head = this.registerModule("head", new Linear(dModel, 1, { rng }));
    this.ar = this.registerModule("ar", new Linear(window, 1, { rng }));
  }

  /** Token states after every mixer, with each mixer's weights [B, H, W, W] when `withWeights`. */
  encode(x: Tensor, withWeights = false): { h: Tensor; weights: Tensor[] } {
    const [B, W] = x.shape as [number, number];
    let h = this.position.forward(this.value.forward(reshape(x, [B, W, 1])));
    const weights: Tensor[] = [];
    for (const m of this.mixers) {
      if (withWeights) weights.push(m.weights(h));
      h = m.forward(h);
    }
    return { h, weights };
  }

  override forward(x: Tensor): Tensor {
    const { pooled } = this.pool.forward(this.encode(x).h);
    return add(this.head.forward(this.dropout.forward(pooled)), this.ar.forward(x));
  }
}

/** K forecasters trained side by side; the forecast ŷ [B, 1] is the mean of the members'. */
export class ForecasterEnsemble extends Ensemble<AttentionForecaster> {
  override forward(x: Tensor): Tensor {
    return this.average((m) => m.forward(x));
  }
}
