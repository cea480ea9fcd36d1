import { UsageError, suggest } from "./errors.js";

export const TASKS = ["g2p", "translate", "classify", "forecast", "seed", "digits"] as const;
export type TaskName = (typeof TASKS)[number];
/** The four attention mechanisms `--attention` compares (the seed article's family). */
export const MECHANISMS = ["dot", "scaled", "multihead", "residual"] as const;
/** Every `--attention` value: the mechanisms, plus `feature`, the seed article's own softmax over input features (seed task only). */
export const ATTENTIONS = ["feature", ...MECHANISMS] as const;
export type AttentionKind = (typeof ATTENTIONS)[number];

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
  attention: AttentionKind;
  /** evaluation examples used for the per-epoch metrics (0 = the whole split) */
  evalSize: number;
  beam: number;
  locales: [string, string];
}

export function parseTask(name: string | undefined): TaskName {
  const task = name ?? "g2p";
  if (!(TASKS as readonly string[]).includes(task)) {
    const s = suggest(task, TASKS);
    throw new UsageError(`unknown task '${task}'${s ? ` (did you mean '${s}'?)` : ""}; tasks: ${TASKS.join(", ")}`);
  }
  return task as TaskName;
}

/** Parse a numeric flag strictly: the whole string must be a number within range. */
export function parseNumber(flag: string, value: string, { integer = false, min = -Infinity, max = Infinity, exclusiveMin = false } = {}): number {
  const v = value.trim() === "" ? Number.NaN : Number(value);
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

/** Raw flag values from the command line (strings), validated into a partial config. */
export interface TrainFlags {
  epochs?: string;
  batchSize?: string;
  lr?: string;
  seed?: string;
  dModel?: string;
  heads?: string;
  layers?: string;
  ff?: string;
  dropout?: string;
  maxMinutes?: string;
  maxSteps?: string;
  warmup?: string;
  labelSmoothing?: string;
  attention?: string;
  evalSize?: string;
  beam?: string;
  from?: string;
  to?: string;
}

export function flagsToConfig(flags: TrainFlags): Partial<TrainConfig> {
  const c: Partial<TrainConfig> = {};
  const int = (f: string, v: string | undefined, min: number): number | undefined => (v === undefined ? undefined : parseNumber(f, v, { integer: true, min }));
  const num = (f: string, v: string | undefined, min: number, max = Infinity, exclusiveMin = false): number | undefined =>
    v === undefined ? undefined : parseNumber(f, v, { min, max, exclusiveMin });
  const set = <K extends keyof TrainConfig>(k: K, v: TrainConfig[K] | undefined) => {
    if (v !== undefined) c[k] = v;
  };
  set("epochs", int("--epochs", flags.epochs, 1));
  set("batchSize", int("--batch-size", flags.batchSize, 1));
  set("lr", num("--lr", flags.lr, 0, Infinity, true));
  set("seed", int("--seed", flags.seed, 0));
  set("dModel", int("--d-model", flags.dModel, 1));
  set("heads", int("--heads", flags.heads, 1));
  set("layers", int("--layers", flags.layers, 1));
  set("ff", int("--ff", flags.ff, 1));
  set("dropout", num("--dropout", flags.dropout, 0, 1));
  if (c.dropout === 1) throw new UsageError("invalid value for --dropout: 1 (expected a number >= 0 and < 1)");
  set("maxMinutes", num("--max-minutes", flags.maxMinutes, 0, Infinity, true));
  set("maxSteps", int("--max-steps", flags.maxSteps, 0));
  set("warmup", int("--warmup", flags.warmup, 0));
  set("labelSmoothing", num("--label-smoothing", flags.labelSmoothing, 0, 1));
  set("evalSize", int("--eval-size", flags.evalSize, 0));
  set("beam", int("--beam", flags.beam, 1));
  if (flags.attention !== undefined) c.attention = parseAttention(flags.attention);
  if (flags.from !== undefined || flags.to !== undefined) c.locales = [flags.from ?? "en", flags.to ?? "zh"];
  return c;
}

export function checkModelShape(c: TrainConfig): void {
  if (c.dModel % c.heads !== 0) {
    throw new UsageError(`invalid model shape: --d-model ${c.dModel} is not divisible by --heads ${c.heads}`);
  }
}
