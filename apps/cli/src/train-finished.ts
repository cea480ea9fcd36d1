import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { copyCheckpoint, discardCheckpoint } from "./checkpoint.js";
import type { TrainConfig } from "./config.js";
import type { StopReason } from "./reporter.js";
import type { TrainerState } from "./trainer-state.js";

/** Why a resumed run has nothing left to train, and which flag would let it go on. */
export interface Finished {
  reason: Exclude<StopReason, "interrupt">;
  /** e.g. `no better validation score in --patience 15 epochs` */
  why: string;
  /** e.g. `a larger --patience (0 turns it off)` */
  more: string;
}

/**
 * Whether the run in `state` has already ended under `config` (the checkpoint's config with the
 * resumable flags given on `--resume` over it): all its epochs trained, `--patience` epochs
 * without a better validation score, `--max-steps` steps or `--max-minutes` used. Null when it
 * goes on (also when a larger limit was given on `--resume`).
 */
export function finishedRun(state: TrainerState, config: TrainConfig): Finished | null {
  const patience = config.patience ?? 0;
  if (state.epoch > config.epochs) {
    return { reason: "epochs", why: `all ${config.epochs} epochs trained`, more: "a larger --epochs" };
  }
  if (patience > 0 && state.batchInEpoch === 0 && state.history.length > 0 && state.sinceBest >= patience) {
    return { reason: "patience", why: `no better validation score in --patience ${patience} epochs`, more: "a larger --patience (0 turns it off)" };
  }
  if (config.maxSteps > 0 && state.step >= config.maxSteps) {
    return { reason: "steps", why: `step budget reached: ${state.step} of --max-steps ${config.maxSteps}`, more: "a larger --max-steps (0 = no limit)" };
  }
  if (state.elapsedSeconds > config.maxMinutes * 60) {
    return { reason: "time", why: `time budget reached: ${(state.elapsedSeconds / 60).toFixed(2)} of --max-minutes ${config.maxMinutes}`, more: "a larger --max-minutes" };
  }
  return null;
}

/**
 * Whether phase 2 of `--refit on` finished for the run in `out`: `refit/last/` trained all its
 * epochs and `valid-best/` (written only after that) holds phase 1's `best/`.
 */
export function refitFinished(out: string): boolean {
  const last = join(out, "refit", "last");
  if (!existsSync(join(out, "valid-best", "config.json")) || !existsSync(join(last, "config.json"))) return false;
  try {
    const { epochs } = JSON.parse(readFileSync(join(last, "config.json"), "utf8")) as { epochs: number };
    const { epoch } = JSON.parse(readFileSync(join(last, "trainer.json"), "utf8")) as { epoch: number };
    return epoch > epochs;
  } catch {
    return false; // unreadable: phase 2 runs again
  }
}

/**
 * Finish phase 2's hand-over once it has finished (`refitFinished`): phase 2 copies phase 1's
 * `best/` to `valid-best/`, then `refit/last/` to `best/`. A run killed between the two copies has
 * `valid-best/` and a finished phase 2, yet `best/` is still phase 1's model: copy `refit/last/`
 * to `best/` again (atomically) unless `best/` already holds the same files.
 */
export function finishRefitCopy(out: string): void {
  if (!refitFinished(out)) return;
  const from = join(out, "refit", "last");
  const best = join(out, "best");
  const same = (f: string) => {
    try {
      return readFileSync(join(from, f)).equals(readFileSync(join(best, f)));
    } catch {
      return false;
    }
  };
  if (!readdirSync(from).every(same)) copyCheckpoint(from, best);
}

/**
 * Before phase 1 of a `--refit on` run trains on (resumed with a larger limit) after its phase 2
 * had finished: `best/` holds phase 2's model, so phase 1's `best/` comes back from `valid-best/`
 * (atomically), and `valid-best/` goes until phase 2 has run again.
 */
export function reopenPhase1(out: string): void {
  const validBest = join(out, "valid-best");
  if (!existsSync(join(validBest, "config.json"))) return;
  copyCheckpoint(validBest, join(out, "best"));
  discardCheckpoint(validBest);
}
