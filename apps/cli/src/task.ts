import type { Module } from "@heed/nn";
import type { Generator, Tensor } from "@heed/tensor-core";
import type { RecipeName, TrainConfig } from "./config.js";
import type { Confusion } from "./confusion.js";
import type { MbrOptions } from "./tasks/translate-mbr.js";
import type { KnnOptions } from "./tasks/translate-knn.js";

/** An image task's attention over its input: both row-major, height × width, values in [0, 1]. */
export interface AttentionImage {
  title: string;
  width: number;
  height: number;
  /** The input in grey, ink = 1. */
  pixels: number[];
  /** Each pixel's share of the attention. */
  heat: number[];
}

/** What `heed attention` draws: one panel per (layer, head); image tasks add the map over the image. */
export interface AttentionMaps {
  rows: string[];
  cols: string[];
  panels: { title: string; weights: number[][] }[];
  image?: AttentionImage;
}

export interface EvaluateOptions {
  /** The loss only, without metrics: nothing is decoded (the trainer's validation pass, which picks `best`). */
  lossOnly?: boolean;
}

export interface Evaluation {
  loss: number;
  metrics: Record<string, number>;
  /** Classification tasks: counts[true class][predicted class] over the evaluated examples (`heed eval` prints it with `formatConfusion`). */
  confusion?: Confusion;
  /** Details `heed eval` prints below the metrics line (e.g. baselines or a per-class table). */
  report?: string;
}

/** One replica's share of a batch in data-parallel training (`heed train --threads N`). */
export interface BatchPart {
  /** A batch that `TaskRuntime.loss` takes (possibly empty). */
  batch: unknown;
  /** How many terms its mean loss averages over (e.g. non-padding target tokens): the parts' losses and gradients are combined weighted by it. */
  weight: number;
}

/** A task bound to its data and model: everything the trainer and the commands need. */
export interface TaskRuntime {
  readonly model: Module;
  readonly trainSize: number;
  readonly testSize: number;
  /** Batches of one epoch; the order is a pure function of (seed, epoch). */
  batches(epoch: number): unknown[];
  /** Number of examples in a batch. */
  batchSize(batch: unknown): number;
  /** Mean training loss of a batch (with gradient graph). */
  loss(batch: unknown): Tensor;
  /**
   * The batch cut into `parts` parts for data-parallel training: the weighted mean of the parts'
   * `loss` (weights `BatchPart.weight`) must be the loss of the whole batch. Tasks without it
   * train on one replica (`--threads` then splits the kernels instead).
   */
  splitBatch?(batch: unknown, parts: number): BatchPart[];
  /** Loss and metrics on a split (no gradients). `limit` caps the examples used for metrics (0: all). */
  evaluate(split: "valid" | "test", limit: number, options?: EvaluateOptions): Evaluation;
  /** The metrics as they follow `Test Loss: …` on the epoch line, e.g. `PER: 37.4%, WER: 84.0%`. */
  formatMetrics(metrics: Record<string, number>): string;
  /** The learning rate of optimizer step `step` (1-based), when the task has its own schedule; default: the trainer's warm-up + inverse square root. */
  learningRate?(step: number): number;
  /** Which metric picks the `best` checkpoint (lower is better unless `higherIsBetter`). */
  readonly selection: { metric: string; higherIsBetter: boolean };
  predict(inputs: string[]): string[];
  /** Decode `predict` and `evaluate` with minimum Bayes risk (translate; null: the task's greedy or beam search again). The trainer never sets it. */
  setMbr?(options: MbrOptions | null): void;
  /** Decode with kNN-MT over the training split's decoder states (translate; null: the model alone). The trainer never sets it. */
  setKnn?(options: KnnOptions | null): void;
  attention?(input: string): AttentionMaps;
  /** Vocabularies and data statistics needed to rebuild the task from a checkpoint. */
  vocab(): unknown;
  /** How `heed export` traces the model and `heed predict --engine ort` feeds the graph (g2p and translate use the encoder–decoder export instead). */
  onnx?: TaskOnnx;
}

/** A graph run: the named inputs in, the outputs (in `TaskOnnx.outputNames` order) out. */
export type GraphRun = (feeds: Record<string, Tensor>) => Promise<Tensor[]>;

/**
 * A task's ONNX hook: the graph's named inputs and outputs, the model's forward on them (what
 * the export traces) and predict's pre- and post-processing around one graph run, so that
 * `heed predict --engine ort` answers exactly as `heed predict` does.
 */
export interface TaskOnnx {
  /** Named example inputs to trace with: every dynamic axis at least 2 long. */
  example(): Record<string, Tensor>;
  /** Per input, the name of each dynamic axis (null = fixed). */
  dynamicAxes: Record<string, readonly (string | null)[]>;
  outputNames: readonly string[];
  /** The model on the named inputs (traced by the export). */
  forward(feeds: Record<string, Tensor>): Tensor[];
  /** `predict` with the model replaced by `run`. */
  predict(inputs: string[], run: GraphRun): Promise<string[]>;
}

/**
 * Which examples a runtime trains on (`TaskDefinition.create`'s `data`). The default is the
 * training split. `withValid`: the training and the validation split together (phase 2 of
 * `--refit on`; the validation split then picks nothing). `holdOut`: the training split without
 * `holdOut` of its examples (a random slice drawn from the run's seed, or the latest ones for a
 * time series): the learning-curve check that decided each task's `--refit` default
 * (scripts/refit-proxy.ts). The test split is never trained on.
 */
export interface TrainData {
  withValid?: boolean;
  holdOut?: number;
  /**
   * Phase 2 of `--refit on` for a task with `refitKeepsPhase1`: phase 1's `best/` (its weights and
   * vocab), which the task keeps, untrained, beside the model it trains (forecast: the mean of both).
   */
  phase1?: { model: ReadonlyMap<string, Tensor>; vocab: unknown };
}

export interface TaskDefinition {
  readonly name: TrainConfig["task"];
  readonly description: string;
  readonly defaults: Omit<TrainConfig, "task">;
  /** `--recipe` presets besides `default`: the config values each one sets over `defaults` (flags given still win). */
  readonly recipes?: Readonly<Partial<Record<Exclude<RecipeName, "default">, Partial<Omit<TrainConfig, "task" | "recipe">>>>>;
  /** Whether `create` takes `data` (`--refit` and the hold-out check); other tasks reject `--refit on`. */
  readonly refit?: boolean;
  /** Whether phase 2 of `--refit on` is given phase 1's `best/` (`TrainData.phase1`) to keep beside the new model. */
  readonly refitKeepsPhase1?: boolean;
  /** Build data and model. `vocab` comes from a checkpoint when loading one; `data` (tasks with `refit`) which examples it trains on. */
  create(config: TrainConfig, dropoutRng: Generator, vocab?: unknown, data?: TrainData): TaskRuntime;
}
