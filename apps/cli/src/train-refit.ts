import { join } from "node:path";
import { copyCheckpoint, loadCheckpoint } from "./checkpoint.js";
import type { TrainConfig } from "./config.js";
import type { Reporter, RunEvent, StopReason } from "./reporter.js";
import type { StopRequest } from "./signals.js";
import type { TaskDefinition, TaskRuntime } from "./task.js";
import type { EpochRecord } from "./trainer-state.js";
import type { TrainOptions, TrainResult } from "./train.js";

/** What phase 2 of `--refit on` did (the `done` event's `refit`). */
export interface RefitOutcome {
  /** Epochs phase 2 was to train: phase 1's best (`best/`) epoch. */
  epochs: number;
  /** Training + validation examples it trained on. */
  examples: number;
  /** How phase 2 ended: `epochs` when it trained all its epochs, and only then does `best/` hold its model. */
  stopped: StopReason;
  last: EpochRecord | null;
}

/**
 * The epoch of phase 1's `best/`: the first epoch-end record with the best value of the task's
 * validation selection metric (strictly better than every earlier one, as the trainer picks).
 * It reads the validation records only.
 */
export function bestEpoch(history: readonly EpochRecord[], selection: TaskRuntime["selection"]): number {
  let best: EpochRecord | null = null;
  const value = (r: EpochRecord) => (selection.metric === "validLoss" ? r.validLoss : (r.validScore ?? Number.NaN));
  for (const r of history) {
    const v = value(r);
    if (Number.isNaN(v)) continue;
    if (best === null || (selection.higherIsBetter ? v > value(best) : v < value(best))) best = r;
  }
  if (best === null) throw new Error("refit: phase 1 has no validation score to pick its best epoch by");
  return best.epoch;
}

export interface RefitContext {
  out: string | null;
  reporter: Reporter;
  stop: Pick<StopRequest, "stopped" | "signal" | "dispose">;
  threads: number;
  saveEveryMinutes: number;
  /** phase 1's epoch records and selection: which epoch was best */
  history: readonly EpochRecord[];
  selection: TaskRuntime["selection"];
  /** Date.now() at phase 1's start (less any time of earlier runs it resumed): the budget is the whole run's */
  started: number;
}

type Train = (def: TaskDefinition, config: TrainConfig, options: TrainOptions) => Promise<TrainResult>;

/**
 * Phase 2 of `--refit on`: a fresh model from the same seed, trained with the same recipe on the
 * training + validation splits (`TrainData.withValid`) for phase 1's best number of epochs, with
 * no validation pass (the validation split is training data now) and no early stopping; the
 * test split is evaluated for the epoch lines only. Its run goes to `<out>/refit/`; once it has
 * trained every epoch, phase 1's `best/` is copied to `valid-best/` and phase 2's model becomes
 * `best/` (each copy atomic). If the time budget (the whole run's `--max-minutes`) stops it
 * first, `best/` keeps phase 1's model. Returns null when no budget is left to start it.
 */
export async function refitPhase(def: TaskDefinition, config: TrainConfig, ctx: RefitContext, train: Train): Promise<RefitOutcome | null> {
  const epochs = bestEpoch(ctx.history, ctx.selection);
  const minutesLeft = config.maxMinutes - (Date.now() - ctx.started) / 60_000;
  if (minutesLeft <= 0) {
    ctx.reporter.emit({ event: "message", text: "refit: no time left in --max-minutes for phase 2; best/ keeps phase 1's model" });
    return null;
  }
  // a task that keeps phase 1's model beside the new one reads phase 1's best/ (not yet moved to valid-best/)
  const kept = def.refitKeepsPhase1 === true && ctx.out !== null ? loadCheckpoint(join(ctx.out, "best")) : null;
  const phase1 = kept === null ? {} : { phase1: { model: kept.model, vocab: kept.vocab } };
  const refitDef: TaskDefinition = { ...def, create: (c, rng, vocab, data) => def.create(c, rng, vocab, { ...data, withValid: true, ...phase1 }) };
  const refitConfig: TrainConfig = { ...config, epochs, patience: 0, maxMinutes: minutesLeft };
  let examples = 0;
  const reporter: Reporter = {
    emit(e: RunEvent) {
      if (e.event === "start") {
        examples = e.trainSize;
        ctx.reporter.emit({ event: "message", text: `refit: a fresh model on the training + validation splits (${e.trainSize.toLocaleString("en-US")} examples) for ${epochs} epochs, phase 1's best${kept === null ? "" : "; phase 1's model stays in it, untrained"}` });
      } else if (e.event !== "done") {
        ctx.reporter.emit(e);
      }
    },
    close() {},
  };
  const out = ctx.out === null ? null : join(ctx.out, "refit");
  const r = await train(refitDef, refitConfig, { out, resume: null, reporter, stop: ctx.stop, threads: ctx.threads, saveEveryMinutes: ctx.saveEveryMinutes, refitPhase: true });
  if (r.stopped === "epochs" && ctx.out !== null && out !== null) {
    copyCheckpoint(join(ctx.out, "best"), join(ctx.out, "valid-best"));
    copyCheckpoint(join(out, "last"), join(ctx.out, "best"));
  } else if (r.stopped === "time") {
    ctx.reporter.emit({ event: "message", text: `refit: the time budget stopped phase 2 at epoch ${r.epoch} of ${epochs}; best/ keeps phase 1's model` });
  }
  return { epochs, examples, stopped: r.stopped, last: r.last };
}
