import { LearnedPositionalEncoding } from "@heed/attention";
import { Dropout, Linear, Module, ModuleList } from "@heed/nn";
import { add, concat, narrow, pad, reshape, sub, type Generator, type Tensor } from "@heed/tensor-core";
import type { AttentionKind } from "../config.js";
import { AttentionMixer } from "./common-mixer.js";
import { Ensemble } from "./common-ensemble.js";
import { AttentionPooling } from "./common-pooling.js";
import { SEASON } from "./forecast-baseline.js";
import { structuralForecast, structuralWeights } from "./forecast-structural.js";

export interface ForecasterOptions {
  /** W: time steps per input window. */
  window: number;
  kind: AttentionKind;
  dModel: number;
  heads: number;
  layers: number;
  dropout: number;
  rng: Generator;
  /** Add each month's seasonal difference x_t − x_{t−12} to its token (default false: older checkpoints). */
  seasonalDiff?: boolean;
  /**
   * Append a token for the forecast month whose value is the structural forecast (a least-squares
   * trend + annual harmonics fit to the window, extrapolated one month; `structuralWeights`), at
   * position W (default false).
   */
  structural?: boolean;
}

/**
 * Seasonal differences of a batch of windows: x [B, W] → [B, W] with x_t − x_{t−s} at t ≥ s and 0
 * at the first s positions (which have no value a season earlier in the window).
 *
 * @example
 * seasonalDifference(tensor([[1, 2, 4, 7]]), 2); // [[0, 0, 3, 5]]
 */
export function seasonalDifference(x: Tensor, season = SEASON): Tensor {
  const W = x.shape[1]!;
  if (x.shape.length !== 2 || !Number.isInteger(season) || season < 1 || W <= season) {
    throw new Error(`seasonalDifference: expected windows [B, W] with W > season ${season}, got shape [${x.shape.join(", ")}]`);
  }
  return pad(sub(narrow(x, 1, season, W - season), narrow(x, 1, 0, W - season)), [[0, 0], [season, 0]]);
}

/**
 * Attention forecaster: each of the W past values becomes a token (value·w + b + a learned
 * position, + its seasonal difference (x_t − x_{t−12})·w' + b' with `seasonalDiff`), `layers` self-attention layers of the chosen mechanism mix them, attention pooling
 * summarises the window and a linear layer predicts the next step, added to a linear
 * autoregressive skip over the raw window (so the attention path learns what a linear AR(W)
 * model misses). With `structural`, a (W+1)-th token stands for the forecast month and carries the
 * window's structural forecast as its value. x [B, W] → ŷ [B, 1].
 */
export class AttentionForecaster extends Module {
  readonly value: Linear;
  readonly position: LearnedPositionalEncoding;
  readonly mixers: ModuleList<AttentionMixer>;
  readonly pool: AttentionPooling;
  readonly dropout: Dropout;
  readonly head: Linear;
  readonly ar: Linear;
  /** The seasonal difference's token projection (null without `seasonalDiff`). */
  readonly seasonal: Linear | null;
  /** The structural forecast's weights over the window (null without `structural`); constant, not trained. */
  readonly structuralWeights: Float64Array | null;

  constructor({ window, kind, dModel, heads, layers, dropout, rng, seasonalDiff = false, structural = false }: ForecasterOptions) {
    super();
    if (seasonalDiff && window <= SEASON) throw new Error(`AttentionForecaster: seasonalDiff needs a window longer than ${SEASON} months, got window ${window}`);
    this.value = this.registerModule("value", new Linear(1, dModel, { rng }));
    this.seasonal = seasonalDiff ? this.registerModule("seasonal", new Linear(1, dModel, { rng })) : null;
    this.structuralWeights = structural ? structuralWeights(window) : null;
    this.position = this.registerModule("position", new LearnedPositionalEncoding({ dModel, maxLen: structural ? window + 1 : window, rng }));
    const mixers = Array.from({ length: layers }, () => new AttentionMixer({ kind, dModel, heads, dropout, rng }));
    this.mixers = this.registerModule("mixers", new ModuleList(mixers));
    this.pool = this.registerModule("pool", new AttentionPooling(dModel, rng));
    this.dropout = this.registerModule("dropout", new Dropout(dropout, { rng }));
    this.head = this.registerModule("head", new Linear(dModel, 1, { rng }));
    this.ar = this.registerModule("ar", new Linear(window, 1, { rng }));
  }

  /** Token states [B, L, E] after every mixer (L = W, or W + 1 with `structural`), with each mixer's weights [B, H, L, L] when `withWeights`. */
  encode(x: Tensor, withWeights = false): { h: Tensor; weights: Tensor[] } {
    // the forecast month's token reads the structural forecast as its value
    const values = this.structuralWeights === null ? x : concat([x, structuralForecast(x, this.structuralWeights)], 1);
    const [B, L] = values.shape as [number, number];
    let tokens = this.value.forward(reshape(values, [B, L, 1]));
    if (this.seasonal !== null) tokens = add(tokens, this.seasonal.forward(reshape(seasonalDifference(values), [B, L, 1])));
    let h = this.position.forward(tokens);
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
