import { z } from "zod";
import { UsageError, suggest } from "./errors.js";

export const TASKS = ["g2p", "translate", "classify", "forecast", "seed", "digits"] as const;
export type TaskName = (typeof TASKS)[number];
/** The four attention mechanisms `--attention` compares (the seed article's family). */
export const MECHANISMS = ["dot", "scaled", "multihead", "residual"] as const;
/** Every `--attention` value: the mechanisms, plus `feature`, the seed article's own softmax over input features (seed task only). */
export const ATTENTIONS = ["feature", ...MECHANISMS] as const;
export type AttentionKind = (typeof ATTENTIONS)[number];
/** Every `--recipe` name; `default` is a task's defaults, the others exist for some tasks only (`TaskDefinition.recipes`). */
export const RECIPES = ["default", "long", "tied", "deep", "variants", "multilingual", "lexicon-tag"] as const;
export type RecipeName = (typeof RECIPES)[number];

/** Everything that defines a training run; saved as config.json in each checkpoint. */
export interface TrainConfig {
  task: TaskName;
  epochs: number;
  batchSize: number;
  lr: number;
  seed: number;
  dModel: number;
  heads: number;
  layers: number;
  ff: number;
  dropout: number;
  maxMinutes: number;
  /** stop after this many optimizer steps in total (0 = no limit); deterministic, unlike --max-minutes */
  maxSteps: number;
  warmup: number;
  labelSmoothing: number;
  /**
   * Decoupled weight decay λ (AdamW, Loshchilov & Hutter 2019: every parameter is scaled by
   * 1 − lr·λ each step); absent or 0 = plain Adam, which older checkpoints are.
   */
  weightDecay?: number;
  attention: AttentionKind;
  /** evaluation examples used for the per-epoch metrics (0 = the whole split) */
  evalSize: number;
  /**
   * Early stopping: stop after this many epoch-end evaluations in a row without a better value of
   * the task's validation selection metric (absent or 0 = off, which older checkpoints are).
   */
  patience?: number;
  beam: number;
  locales: [string, string];
  /**
   * `--refit on`: after the run (phase 1, `best/` picked on the validation split), train a fresh
   * model from the same seed on the training + validation splits for phase 1's best number of
   * epochs (phase 2); `best/` then holds it, phase 1's `best/` moves to `valid-best/` (absent or
   * false = off, which older checkpoints are; see `TaskDefinition.refit`).
   */
  refit?: boolean;
  /** The `--recipe` the run started from (absent = the task's defaults, which older checkpoints are). */
  recipe?: RecipeName;
}

export function parseTask(name: string | undefined): TaskName {
  const task = name ?? "g2p";
  if (!(TASKS as readonly string[]).includes(task)) {
    const s = suggest(task, TASKS);
    throw new UsageError(`unknown task '${task}'${s ? ` (did you mean '${s}'?)` : ""}; tasks: ${TASKS.join(", ")}`);
  }
  return task as TaskName;
}

/** A number written in decimal, with an optional exponent (`3`, `-0.5`, `.5`, `1e-3`); not hex, binary, octal nor `Infinity`, which `Number()` also reads. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** The decimal number `text` spells (surrounding spaces allowed), or NaN. */
export function decimal(text: string): number {
  const t = text.trim();
  return DECIMAL.test(t) ? Number(t) : Number.NaN;
}

/** Parse a numeric flag strictly: the whole string must be a decimal number within range. */
export function parseNumber(flag: string, value: string, { integer = false, min = -Infinity, max = Infinity, exclusiveMin = false } = {}): number {
  const v = decimal(value);
  const kind = integer ? "an integer" : "a number";
  if (!Number.isFinite(v) || (integer && !Number.isInteger(v))) {
    throw new UsageError(`invalid value for ${flag}: '${value}' is not ${kind}`);
  }
  if (v < min || (exclusiveMin && v === min) || v > max) {
    const lo = exclusiveMin ? `> ${min}` : `>= ${min}`;
    throw new UsageError(`invalid value for ${flag}: ${value} (expected ${kind} ${lo}${Number.isFinite(max) ? ` and <= ${max}` : ""})`);
  }
  return v;
}

export function parseAttention(value: string): AttentionKind {
  if (!(ATTENTIONS as readonly string[]).includes(value)) {
    const s = suggest(value, ATTENTIONS);
    throw new UsageError(`invalid value for --attention: '${value}'${s ? ` (did you mean '${s}'?)` : ""}; choose one of ${ATTENTIONS.join(", ")}`);
  }
  return value as AttentionKind;
}

export function checkModelShape(c: TrainConfig): void {
  if (c.dModel % c.heads !== 0) {
    throw new UsageError(`invalid model shape: --d-model ${c.dModel} is not divisible by --heads ${c.heads}`);
  }
}

/**
 * config.json as a schema: a checkpoint's config is checked field by field when it is loaded
 * (`loadCheckpoint`), so a hand-edited or foreign file fails with the field's name instead of
 * a NaN or a crash deep in a model constructor. `satisfies` keeps it in step with `TrainConfig`.
 */
export const trainConfigSchema = z.object({
  task: z.enum(TASKS),
  epochs: z.int().min(1),
  batchSize: z.int().min(1),
  lr: z.number().positive(),
  seed: z.int().min(0),
  dModel: z.int().min(1),
  heads: z.int().min(1),
  layers: z.int().min(1),
  ff: z.int().min(1),
  dropout: z.number().min(0).lt(1),
  maxMinutes: z.number().positive(),
  maxSteps: z.int().min(0),
  warmup: z.int().min(0),
  labelSmoothing: z.number().min(0).max(1),
  weightDecay: z.number().min(0).optional(),
  attention: z.enum(ATTENTIONS),
  evalSize: z.int().min(0),
  patience: z.int().min(0).optional(),
  beam: z.int().min(1),
  locales: z.tuple([z.string(), z.string()]),
  refit: z.boolean().optional(),
  recipe: z.enum(RECIPES).optional(),
}) satisfies z.ZodType<TrainConfig>;
