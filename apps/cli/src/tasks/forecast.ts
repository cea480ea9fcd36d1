import { makeWindows, type WindowedPart } from "@heed/data";
import { loadTimeSeries } from "@heed/datasets/node";
import { mseLoss } from "@heed/nn";
import { add, mul, Tensor, type Generator } from "@heed/tensor-core";
import type { TrainConfig } from "../config.js";
import { meanAbsoluteError, rootMeanSquaredError } from "../metrics.js";
import { UsageError } from "../errors.js";
import type { AttentionMaps, Evaluation, TaskDefinition, TaskRuntime, TrainData } from "../task.js";
import { limited, shuffledBatches, vocabField } from "./common-data.js";
import { mixerKind, mixerPanels } from "./common-mixer.js";
import { seasonalDrift } from "./forecast-baseline.js";
import { forecastInput, resolveInput, type Series } from "./forecast-input.js";
import { AttentionForecaster, ForecasterEnsemble } from "./forecast-model.js";

/** Forecasters trained side by side from different initialisations; their mean is the forecast (see apps/cli/RECIPES.md). */
export const MEMBERS = 5;

/** Each token also reads its month's seasonal difference x_t − x_{t−12} (see apps/cli/RECIPES.md). */
export const SEASONAL_DIFF = true;

/**
 * A token for the forecast month carrying the structural forecast (trend + annual harmonics fitted
 * to the window; `forecast-structural.ts`). Not the default: it lost on validation (see apps/cli/RECIPES.md).
 */
export const STRUCTURAL = false;

/**
 * `--refit on` outputs the mean forecast of phase 1's `best/` members (trained on the training
 * split, picked by validation) and phase 2's (trained on training + validation for phase 1's best
 * epoch count): 2 × MEMBERS forecasters in `best/`. Chosen by the rolling-origin rule (apps/cli/RECIPES.md, the sixth round).
 */
export const REFIT_BLEND = true;

/**
 * Load phase 1's members (`phase1`, `kept` of them) into the ensemble's last `kept` members, after
 * its `trained` ones, and freeze them: they keep phase 1's weights through phase 2.
 */
function keepPhase1(model: ForecasterEnsemble, trained: number, kept: number, phase1: ReadonlyMap<string, Tensor>): void {
  const state = new Map(model.stateDict());
  for (const [key, t] of phase1) {
    const m = /^members\.(\d+)\.(.*)$/.exec(key);
    const name = kept === 1 ? `members.${trained}.${key}` : m === null ? null : `members.${trained + Number(m[1])}.${m[2]}`;
    if (name === null || !state.has(name)) throw new UsageError(`forecast: phase 1's best/ (kept by --refit on) has a parameter '${key}' that a forecaster of this version does not have; retrain with this version`);
    state.set(name, t);
  }
  model.loadStateDict(state, { strict: true });
  for (const m of [...model.members].slice(trained)) for (const p of m.parameters()) p.requiresGrad = false;
}

/** W: months the model reads. */
export const WINDOW = 24;
/** The last training windows (by time) held out as the validation split. */
export const VALID_WINDOWS = 48;

/** How a window becomes model inputs; saved in vocab.json so a checkpoint predicts the same way. */
export interface ForecastScaling {
  window: number;
  /** Mean and std (ppm) of the training part of the series (makeWindows' normalisation). */
  mean: number;
  std: number;
  /** Std of the one-step change (normalised units) over the training windows: the model's unit. */
  step: number;
}

/**
 * Rows of a split: model inputs [N, W] and targets [N, 1], both relative to the window's last
 * value, in `step` units.
 */
export interface ForecastRows {
  x: Tensor;
  y: Tensor;
  /** Last input value (normalised) of each window, to turn a prediction back into a level. */
  last: Float64Array;
  /** Targets and seasonal-drift forecasts (the strong simple baseline) in ppm. */
  actual: Float64Array;
  drift: Float64Array;
}

/**
 * Windows (normalised, [N, W, 1] / [N, 1]) → inputs and targets relative to each window's last
 * value. The model thus predicts the next change, which carries over to the test years even
 * though their levels lie above everything seen in training.
 */
export function forecastRows(part: WindowedPart, s: ForecastScaling, from = 0, to = part.x.shape[0]!): ForecastRows {
  const W = s.window;
  const n = to - from;
  const x = new Float32Array(n * W);
  const y = new Float32Array(n);
  const last = new Float64Array(n);
  const actual = new Float64Array(n);
  const drift = new Float64Array(n);
  const ppm = (v: number): number => v * s.std + s.mean;
  for (let i = 0; i < n; i++) {
    const row = (from + i) * W;
    const l = part.x.data[row + W - 1]!;
    for (let t = 0; t < W; t++) x[i * W + t] = (part.x.data[row + t]! - l) / s.step;
    const target = part.y.data[from + i]!;
    y[i] = (target - l) / s.step;
    last[i] = l;
    actual[i] = ppm(target);
    drift[i] = ppm(seasonalDrift(part.x.data.subarray(row, row + W)));
  }
  return { x: new Tensor(x, [n, W], "float32"), y: new Tensor(y, [n, 1], "float32"), last, actual, drift };
}

/**
 * The window ranges (indices into the training part's windows, which end where the test months
 * begin) of a rolling-origin frame. Origin 0 is what a user's run reads: training, then the 48
 * validation windows; it judges on the test split (`judged: null`). Origin k ≥ 1 moves every split
 * k × 48 windows earlier: its judged windows are the 48 that follow its validation windows, all
 * inside the training part, so a choice made on them never reads the test split
 * (apps/cli/RECIPES.md, "Rolling-origin selection").
 */
export interface ForecastFrame {
  train: [number, number];
  valid: [number, number];
  judged: [number, number] | null;
}

/** The frames `forecastTaskOf({ origin })` accepts: 0 (the user's) to this. */
export const MAX_ORIGIN = 4;

export function forecastFrame(trainingWindows: number, origin: number): ForecastFrame {
  const end = trainingWindows - origin * VALID_WINDOWS;
  if (!Number.isInteger(origin) || origin < 0 || end - VALID_WINDOWS < VALID_WINDOWS) {
    throw new UsageError(`forecastFrame: origin must be an integer from 0 to ${Math.floor(trainingWindows / VALID_WINDOWS) - 2} for ${trainingWindows} training windows, got ${origin}`);
  }
  return { train: [0, end - VALID_WINDOWS], valid: [end - VALID_WINDOWS, end], judged: origin === 0 ? null : [end, end + VALID_WINDOWS] };
}

/**
 * The scaling a run computes from the months it may read: mean and std (ppm) of the first `months`
 * values of the series, and the step unit from the windows whose target lies among them (as
 * `makeWindows`' training part and `create` compute it for origin 0). A frame of origin k ≥ 1 reads
 * only the months up to its last validation target, so no judged month enters its scaling.
 */
export function forecastScaling(values: ArrayLike<number>, window: number, months: number): ForecastScaling {
  if (!Number.isInteger(months) || months <= window || months > values.length) throw new UsageError(`forecastScaling: months must be an integer from ${window + 1} to ${values.length}, got ${months}`);
  let mean = 0;
  for (let i = 0; i < months; i++) mean += values[i]!;
  mean /= months;
  let ss = 0;
  for (let i = 0; i < months; i++) ss += (values[i]! - mean) ** 2;
  const std = Math.sqrt(ss / months) || 1;
  let steps = 0;
  for (let t = window; t < months; t++) steps += ((values[t]! - values[t - 1]!) / std) ** 2;
  return { window, mean, std, step: Math.sqrt(steps / (months - window)) };
}

/** The windows of `part` normalised by another mean and std (the same object when they agree). */
function renormalised(part: WindowedPart, from: { mean: number; std: number }, to: { mean: number; std: number }): WindowedPart {
  if (from.mean === to.mean && from.std === to.std) return part;
  const map = (t: Tensor): Tensor => new Tensor(Float32Array.from(t.data as Float32Array, (v) => (v * from.std + from.mean - to.mean) / to.std), t.shape, "float32");
  return { x: map(part.x), y: map(part.y) };
}

/** What `forecastTaskOf` varies: the structural token and members for new models (a checkpoint's vocab.json decides for itself), and the rolling-origin frame. */
interface ForecastVariant {
  structural: boolean;
  /** Forecasters in a new model's ensemble (default MEMBERS). */
  members?: number;
  /**
   * The rolling-origin frame (`forecastFrame`; default 0, the user's): with k ≥ 1 every split is
   * k × 48 windows earlier, the 48 windows after its validation windows are its "test" split,
   * and a new model's scaling reads only the months up to its last validation target.
   * `--refit`'s two phases then run as usual, and the judged months judge the model the recipe
   * outputs, which neither trained on them nor was chosen with them (apps/cli/RECIPES.md).
   * Origin 1 is session 13's inner frame (whose scaling still came from the whole training part).
   */
  origin?: number;
  /** Whether phase 2 of `--refit on` keeps phase 1's members (default REFIT_BLEND; false: the refit model alone, the default before session 14). */
  refitBlend?: boolean;
}

const createWith = (variant: ForecastVariant) => (config: TrainConfig, rng: Generator, vocab?: unknown, trainData: TrainData = {}): TaskRuntime =>
  create(config, rng, vocab, trainData, variant);

function create(config: TrainConfig, rng: Generator, vocab: unknown, trainData: TrainData, variant: ForecastVariant): TaskRuntime {
  const kind = mixerKind("forecast", config.attention);
  const series = loadTimeSeries("co2");
  const windows = makeWindows(series.values, { window: WINDOW });
  const frame = forecastFrame(windows.train.x.shape[0]!, variant.origin ?? 0);
  let scaling: ForecastScaling;
  if (vocab !== undefined) {
    scaling = vocabField<ForecastScaling>("forecast", vocab, "scaling");
  } else if (frame.judged !== null) {
    scaling = forecastScaling(series.values, WINDOW, frame.valid[1] + WINDOW);
  } else {
    const { x, y } = windows.train;
    const N = y.shape[0]!;
    let ss = 0;
    for (let i = 0; i < N; i++) ss += (y.data[i]! - x.data[i * WINDOW + WINDOW - 1]!) ** 2;
    scaling = { window: WINDOW, mean: windows.mean, std: windows.std, step: Math.sqrt(ss / N) };
  }
  const trainPart = renormalised(windows.train, windows, scaling);
  const [nValidFrom, nTrainAll] = frame.valid;
  // the windows trained on: up to the validation months, through them (--refit's phase 2), or without the latest `holdOut`
  const nTrain = trainingWindows(nValidFrom, VALID_WINDOWS, trainData);
  const train = forecastRows(trainPart, scaling, 0, nTrain);
  const splits = { valid: forecastRows(trainPart, scaling, nValidFrom, nTrainAll), test: frame.judged !== null ? forecastRows(trainPart, scaling, ...frame.judged) : forecastRows(renormalised(windows.test, windows, scaling), scaling) };
  // phase 2 of --refit on keeps phase 1's best/ members, untrained, after the ones it trains (REFIT_BLEND)
  const kept = vocab === undefined && variant.refitBlend !== false ? (trainData.phase1 ?? null) : null;
  const keptMembers = kept === null ? 0 : ((kept.vocab as { members?: number }).members ?? 1);
  if (kept !== null && JSON.stringify(vocabField<ForecastScaling>("forecast", kept.vocab, "scaling")) !== JSON.stringify(scaling)) {
    throw new UsageError("forecast: phase 1's best/ (kept by --refit on) was written with another scaling than phase 2 computes; retrain both with this version");
  }
  const trained = vocab === undefined ? (variant.members ?? MEMBERS) : ((vocab as { members?: number }).members ?? 1);
  const members = trained + keptMembers;
  // checkpoints written before the seasonal-difference input read without it
  const seasonalDiff = vocab === undefined ? SEASONAL_DIFF : (vocab as { seasonalDiff?: boolean }).seasonalDiff === true;
  const structural = vocab === undefined ? variant.structural : (vocab as { structural?: boolean }).structural === true;
  if (kept !== null && ((kept.vocab as { seasonalDiff?: boolean }).seasonalDiff === true) !== seasonalDiff) throw new UsageError("forecast: phase 1's best/ (kept by --refit on) reads the seasonal difference differently from phase 2");
  const build = () => new AttentionForecaster({ window: WINDOW, kind, dModel: config.dModel, heads: config.heads, layers: config.layers, dropout: config.dropout, rng, seasonalDiff, structural });
  // the trained members first, from the generator as without the kept ones
  const model = members > 1 ? new ForecasterEnsemble(Array.from({ length: members }, build)) : build();
  if (kept !== null && model instanceof ForecasterEnsemble) keepPhase1(model, trained, keptMembers, kept.model);
  const single = model instanceof ForecasterEnsemble ? model.first : model;
  // each member learns on its own loss (not the loss of the mean, which would let them co-adapt); kept members do not learn
  const lossOf = (x: Tensor, y: Tensor): Tensor => {
    if (!(model instanceof ForecasterEnsemble)) return mseLoss(model.forward(x), y);
    const losses = [...model.members].slice(0, trained).map((m) => mseLoss(m.forward(x), y));
    return mul(losses.reduce((a, b) => add(a, b)), 1 / losses.length);
  };
  const take = (rows: ForecastRows, idx: readonly number[]): { x: Tensor; y: Tensor } => {
    const x = new Float32Array(idx.length * WINDOW);
    const y = new Float32Array(idx.length);
    idx.forEach((k, i) => {
      x.set(rows.x.data.subarray(k * WINDOW, (k + 1) * WINDOW), i * WINDOW);
      y[i] = rows.y.data[k]!;
    });
    return { x: new Tensor(x, [idx.length, WINDOW], "float32"), y: new Tensor(y, [idx.length, 1], "float32") };
  };
  const levels = (out: Tensor, last: ArrayLike<number>): number[] => Array.from(last, (l, i) => (l + out.data[i]! * scaling.step) * scaling.std + scaling.mean);
  const data: Series = { times: series.times, values: series.values, window: WINDOW };
  const windowX = (windowPpm: readonly number[]): { x: Tensor; last: number } => {
    const last = (windowPpm[WINDOW - 1]! - scaling.mean) / scaling.std;
    const x = windowPpm.map((v) => ((v - scaling.mean) / scaling.std - last) / scaling.step);
    return { x: new Tensor(Float32Array.from(x), [1, WINDOW], "float32"), last };
  };
  const predictPpm = (windowPpm: readonly number[]): number => {
    const { x, last } = windowX(windowPpm);
    return levels(model.forward(x), [last])[0]!;
  };

  return {
    model,
    trainSize: nTrain,
    testSize: splits.test.x.shape[0]!,
    batches: (epoch) => shuffledBatches(nTrain, config.batchSize, config.seed, epoch).map((idx) => take(train, idx)),
    batchSize: (batch) => (batch as { y: Tensor }).y.shape[0]!,
    loss: (batch) => lossOf((batch as { x: Tensor }).x, (batch as { y: Tensor }).y),
    evaluate(split: "valid" | "test", limit: number): Evaluation {
      const rows = splits[split];
      const out = model.forward(rows.x);
      const loss = mseLoss(out, rows.y).item();
      const n = limited(Array.from(rows.actual), limit).length;
      const pred = levels(out, rows.last).slice(0, n);
      const actual = rows.actual.subarray(0, n);
      const drift = rows.drift.subarray(0, n);
      return {
        loss,
        metrics: {
          mae: meanAbsoluteError(pred, actual), rmse: rootMeanSquaredError(pred, actual),
          driftMae: meanAbsoluteError(drift, actual), driftRmse: rootMeanSquaredError(drift, actual), months: n,
        },
      };
    },
    formatMetrics: (m) =>
      m.mae === undefined ? "" : `MAE: ${m.mae.toFixed(3)} ppm, RMSE: ${m.rmse!.toFixed(3)} ppm (seasonal naive + drift baseline: MAE ${m.driftMae!.toFixed(3)}, RMSE ${m.driftRmse!.toFixed(3)})`,
    selection: { metric: "validLoss", higherIsBetter: false },
    predict: (inputs) => inputs.map((input) => forecastInput(input, data, predictPpm)),
    onnx: {
      example: () => ({ x: forecastRows(windows.test, scaling, 0, 2).x }),
      dynamicAxes: { x: ["batch", null] },
      outputNames: ["change"],
      forward: ({ x }) => [model.forward(x!)],
      async predict(inputs, run) {
        const out: string[] = [];
        for (const input of inputs) {
          const r = resolveInput(input, data);
          let [window, p] = [r.window, Number.NaN];
          for (let step = 0; step < r.ahead; step++) {
            const { x, last } = windowX(window);
            p = levels((await run({ x }))[0]!, [last])[0]!;
            window = [...window.slice(1), p];
          }
          out.push(r.describe(p));
        }
        return out;
      },
    },
    attention(input: string): AttentionMaps {
      const windowPpm = resolveInput(input, data).window;
      const last = windowPpm[WINDOW - 1]!;
      const x = windowPpm.map((v) => (v - last) / scaling.std / scaling.step);
      const { h, weights } = single.encode(new Tensor(Float32Array.from(x), [1, WINDOW], "float32"), true);
      const pool = single.pool.forward(h).weights.data;
      const labels = Array.from({ length: h.shape[1]! }, (_, t) => (t < WINDOW ? `t-${WINDOW - t}` : "t (fit)"));
      const panels = mixerPanels(weights.map((w, l) => ({ title: `layer ${l + 1} self-attention (${kind})`, weights: w })));
      panels.push({ title: "attention pooling (diagonal: how much each month decides the forecast)", weights: labels.map((_, i) => labels.map((__, j) => (i === j ? Number(pool[i]) : 0))) });
      return { rows: labels, cols: labels, panels };
    },
    vocab: () => ({ scaling, ...(members > 1 ? { members } : {}), ...(seasonalDiff ? { seasonalDiff } : {}), ...(structural ? { structural } : {}) }),
  };
}

/**
 * How many windows, from the first, a forecast run trains on: the `train` windows before the
 * validation months; with `withValid`, also the `valid` validation windows that follow them (a
 * forecaster refits through the latest months before forecasting); with `holdOut` n, the
 * training windows without their latest n (the series' order: the validation months stay n
 * months further away).
 */
export function trainingWindows(train: number, valid: number, data: TrainData): number {
  const holdOut = data.holdOut ?? 0;
  if (data.withValid === true && holdOut > 0) throw new UsageError("forecast: the training data takes withValid or holdOut, not both");
  if (!Number.isInteger(holdOut) || holdOut < 0 || holdOut >= train) throw new UsageError(`forecast: holdOut must be an integer from 0 to ${train - 1} (the training windows minus one), got ${holdOut}`);
  return data.withValid === true ? train + valid : train - holdOut;
}

export const forecastTask: TaskDefinition = {
  name: "forecast",
  refit: true,
  description: "next-month Mauna Loa CO2 (ppm) from the previous 24 months with an attention forecaster; MAE/RMSE next to the seasonal naive + drift baseline",
  defaults: {
    epochs: 100, batchSize: 32, lr: 2e-3, seed: 1, dModel: 32, heads: 4, layers: 1, ff: 64, dropout: 0,
    maxMinutes: 5, maxSteps: 0, warmup: 0, labelSmoothing: 0, attention: "residual", evalSize: 0, patience: 20, beam: 1, locales: ["en", "zh"],
    // phase 2 on training + validation (the months up to the test months) for phase 1's best epoch count: adopted by the rule in apps/cli/RECIPES.md
    refit: true,
  },
  // phase 2 of --refit on keeps phase 1's best/ beside the model it trains (REFIT_BLEND)
  refitKeepsPhase1: REFIT_BLEND,
  create: createWith({ structural: STRUCTURAL }),
};

/** The forecast task with the structural token on or off or another ensemble size for new models, or in a rolling-origin frame (`scripts/refit-proxy.ts` and `scripts/forecast-origins.ts` run them). */
export function forecastTaskOf(variant: ForecastVariant): TaskDefinition {
  return { ...forecastTask, refitKeepsPhase1: variant.refitBlend ?? REFIT_BLEND, create: createWith(variant) };
}
