import { Option } from "commander";
import { EMOJI_LOCALES } from "@heed/datasets";
import { parseAttention, parseNumber, RECIPES, type RecipeName, type TrainConfig } from "./config.js";
import { UsageError, suggest } from "./errors.js";

/** One `heed train` flag: its commander spelling, help text, parser and whether `--resume` accepts it. */
interface FlagSpec<T> {
  readonly flags: string;
  readonly description: string;
  readonly parse: (value: string) => T;
  /** May change when a run is resumed (budget, saving): it changes neither the model nor the data. */
  readonly resumable: boolean;
}

function flag<T>(flags: string, description: string, parse: (value: string, name: string) => T, resumable = false): FlagSpec<T> {
  const name = flags.split(" ")[0]!;
  return { flags, description, parse: (v) => parse(v, name), resumable };
}

const int = (min: number) => (v: string, name: string) => parseNumber(name, v, { integer: true, min });
const num = (min: number, exclusiveMin = false) => (v: string, name: string) => parseNumber(name, v, { min, exclusiveMin });

function dropout(v: string, name: string): number {
  const p = parseNumber(name, v, { min: 0, max: 1 });
  if (p === 1) throw new UsageError(`invalid value for ${name}: 1 (expected a number >= 0 and < 1)`);
  return p;
}

function locale(v: string, name: string): string {
  if ((EMOJI_LOCALES as readonly string[]).includes(v)) return v;
  const s = suggest(v, EMOJI_LOCALES);
  throw new UsageError(`invalid value for ${name}: '${v}'${s ? ` (did you mean '${s}'?)` : ""}; locales: ${EMOJI_LOCALES.join(", ")}`);
}

function onOff(v: string, name: string): boolean {
  if (v === "on" || v === "off") return v === "on";
  throw new UsageError(`invalid value for ${name}: '${v}' (expected on or off)`);
}

function recipe(v: string, name: string): RecipeName {
  if ((RECIPES as readonly string[]).includes(v)) return v as RecipeName;
  const s = suggest(v, RECIPES);
  throw new UsageError(`invalid value for ${name}: '${v}'${s ? ` (did you mean '${s}'?)` : ""}; recipes: ${RECIPES.join(", ")}`);
}

/**
 * Every value flag of `heed train`, by the attribute commander gives it (camelCase of the flag).
 * The CLI's options, their parsing and the `--resume` rules all come from this one table.
 */
export const TRAIN_FLAGS = {
  epochs: flag("--epochs <n>", "number of epochs", int(1), true),
  batchSize: flag("--batch-size <n>", "examples per batch", int(1)),
  lr: flag("--lr <x>", "peak learning rate", num(0, true)),
  seed: flag("--seed <n>", "random seed (same seed, same numbers)", int(0)),
  dModel: flag("--d-model <n>", "model width E", int(1)),
  heads: flag("--heads <n>", "attention heads H", int(1)),
  layers: flag("--layers <n>", "encoder (and decoder) layers", int(1)),
  ff: flag("--ff <n>", "feed-forward width", int(1)),
  dropout: flag("--dropout <p>", "dropout probability", dropout),
  maxMinutes: flag("--max-minutes <m>", "stop training after this many minutes", num(0, true), true),
  maxSteps: flag("--max-steps <n>", "stop training after this many optimizer steps in all (0 = no limit)", int(0), true),
  warmup: flag("--warmup <n>", "learning-rate warm-up steps", int(0)),
  labelSmoothing: flag("--label-smoothing <x>", "label smoothing", (v, n) => parseNumber(n, v, { min: 0, max: 1 })),
  weightDecay: flag("--weight-decay <x>", "decoupled weight decay λ (AdamW; 0 = Adam)", num(0)),
  evalSize: flag("--eval-size <n>", "examples decoded for the per-epoch metrics (0 = all)", int(0), true),
  patience: flag("--patience <n>", "early stopping: stop after n evaluations without a better validation score (0 = off)", int(0), true),
  refit: flag("--refit <on|off>", "after the run, train a fresh model on training + validation for its best epoch count and keep that in best/ (classify, forecast; see the README)", onOff),
  beam: flag("--beam <n>", "beam width for decoding (1 = greedy)", int(1)),
  attention: flag("--attention <kind>", "attention mechanism: feature (seed only), dot, scaled, multihead, residual", (v) => parseAttention(v)),
  from: flag("--from <locale>", "translate: source locale", locale),
  to: flag("--to <locale>", "translate: target locale", locale),
  recipe: flag("--recipe <name>", "a task's preset of the flags above: default, long (digits: 4×4 patches, 40 epochs of 64; translate: an ensemble of 2 models), tied (translate: the decoder's output projection tied to its input embedding) or deep (translate: 2 encoder layers over 1 decoder layer)", recipe),
  saveEvery: flag("--save-every <minutes>", "also save last/ every this many minutes (default 1; 0 = only at epoch ends and at the end)", num(0), true),
} as const;

type Specs = typeof TRAIN_FLAGS;
export type TrainFlagName = keyof Specs;
/** The parsed values of the flags that were given. */
export type TrainFlagValues = { -readonly [K in TrainFlagName]?: ReturnType<Specs[K]["parse"]> };

const NAMES = Object.keys(TRAIN_FLAGS) as TrainFlagName[];

/** The commander options of `heed train`, parsed and range-checked as they are read. */
export function trainOptions(): Option[] {
  return NAMES.map((k) => new Option(TRAIN_FLAGS[k].flags, TRAIN_FLAGS[k].description).argParser<unknown>(TRAIN_FLAGS[k].parse));
}

/** The table's values out of commander's options object (each one went through its `parse`). */
export function readTrainFlags(opts: Readonly<Record<string, unknown>>): TrainFlagValues {
  const values: Record<string, unknown> = {};
  for (const k of NAMES) if (opts[k] !== undefined) values[k] = opts[k];
  return values; // each value went through its flag's parse (trainOptions)
}

/** The flag as typed on the command line, e.g. `--d-model`. */
export function flagName(k: TrainFlagName): string {
  return TRAIN_FLAGS[k].flags.split(" ")[0]!;
}

/** Flags that may be given with `--resume` (besides --out, --no-save, --json, --threads, --verbose). */
export const RESUMABLE_FLAGS: readonly TrainFlagName[] = NAMES.filter((k) => TRAIN_FLAGS[k].resumable);

/**
 * The config fields the flags set (`--from`/`--to` become `locales`; `--save-every` is not saved in
 * the config; `--recipe` is applied under the other flags by `withRecipe`).
 */
export function flagsToConfig(f: TrainFlagValues): Partial<TrainConfig> {
  const { from, to, saveEvery: _saveEvery, recipe: _recipe, ...rest } = f;
  const c: Partial<TrainConfig> = { ...rest };
  if (from !== undefined || to !== undefined) c.locales = [from ?? "en", to ?? "zh"];
  return c;
}

/** The checkpoint's value behind a flag, as it would be typed. */
function savedValue(k: TrainFlagName, saved: TrainConfig): string {
  if (k === "from") return saved.locales[0];
  if (k === "to") return saved.locales[1];
  if (k === "recipe") return saved.recipe ?? "default";
  if (k === "refit") return saved.refit === true ? "on" : "off";
  return String(saved[k as keyof TrainConfig]);
}

/** A parsed flag value as it would be typed. */
function typedValue(k: TrainFlagName, v: unknown): string {
  return k === "refit" ? (v === true ? "on" : "off") : String(v);
}

/**
 * `--resume` keeps the model and the data of the checkpoint: a flag that would change them
 * (and differs from the checkpoint's value) is a usage error naming both values.
 */
export function checkResumeConflicts(f: TrainFlagValues, saved: TrainConfig, dir: string): void {
  for (const k of NAMES) {
    const v = f[k];
    if (v === undefined || TRAIN_FLAGS[k].resumable) continue;
    if (typedValue(k, v) === savedValue(k, saved)) continue;
    const allowed = RESUMABLE_FLAGS.map(flagName).join(", ");
    throw new UsageError(
      `${flagName(k)} ${typedValue(k, v)} conflicts with the run being resumed: ${dir} was trained with ${flagName(k)} ${savedValue(k, saved)} (on --resume only ${allowed}, --out and output flags may change)`,
    );
  }
}
