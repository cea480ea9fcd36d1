import { existsSync, readdirSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { discardCheckpoint, RUN_CHECKPOINTS } from "./checkpoint.js";

/** The top-level directories of RUN_CHECKPOINTS (`refit/last` lives in `refit/`). */
const RUN_DIRS = [...new Set(RUN_CHECKPOINTS.map((c) => c.split(/[\\/]/)[0]!))];

/**
 * What `heed train` writes into its `--out`: the checkpoint directories (with the `.new`/`.old`/
 * `.trash-*` siblings of a save cut short) and the run's history files. `onnx/` and anything else a
 * user put there are not the run's and are left alone.
 */
const RUN_ENTRY = new RegExp(`^(${RUN_DIRS.join("|")})(\\.new|\\.old)?(\\.trash-[0-9a-f]{8})?$|^(metrics\\.jsonl|loss\\.svg)$`);

export interface EarlierRun {
  /** the run's own entries in `out`, sorted */
  entries: string[];
  /** "a g2p run at step 1,569" when a checkpoint says so, else "checkpoint directories" */
  what: string;
}

/**
 * The run a fresh `heed train --out <out>` would land on, or null when `out` holds none. With
 * `continues` (the trainer history of a run being resumed into `out`, and that run's directory), a
 * run in `out` whose history begins with that history is described as its continuation.
 */
export function findEarlierRun(out: string, continues?: { history: readonly unknown[]; dir: string }): EarlierRun | null {
  if (!existsSync(out)) return null;
  const entries = readdirSync(out).filter((f) => RUN_ENTRY.test(f)).sort();
  if (entries.length === 0) return null;
  let what = `the checkpoint directories of a run (${entries.join(", ")})`;
  for (const dir of [join(out, "last"), join(out, "best")]) {
    try {
      const task = (JSON.parse(readFileSync(join(dir, "config.json"), "utf8")) as { task?: unknown }).task;
      const trainer = JSON.parse(readFileSync(join(dir, "trainer.json"), "utf8")) as { step?: unknown; history?: unknown };
      const step = trainer.step;
      if (typeof task === "string" && typeof step === "number") {
        const from = continues !== undefined && continuesHistory(trainer.history, continues.history) ? ` continued from ${continues.dir}` : "";
        what = `a ${task} run${from} (saved at step ${step.toLocaleString("en-US")})`;
        break;
      }
    } catch {
      // not a complete checkpoint: keep the plain description
    }
  }
  return { entries, what };
}

/** Whether `history` (a saved trainer history) starts with the epochs of `earlier`. */
function continuesHistory(history: unknown, earlier: readonly unknown[]): boolean {
  if (earlier.length === 0 || !Array.isArray(history) || history.length < earlier.length) return false;
  return earlier.every((r, i) => JSON.stringify(r) === JSON.stringify(history[i]));
}

/** Whether two paths name one directory (`runs/g2p`, `./runs/g2p/`, a symlink to it). */
export function sameDirectory(a: string, b: string): boolean {
  if (resolve(a) === resolve(b)) return true;
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false; // one of them does not exist yet, so they differ
  }
}

/** Remove an earlier run's own entries from `out` (`--overwrite`); each directory goes atomically. */
export function removeEarlierRun(out: string, run: EarlierRun): void {
  for (const f of run.entries) {
    const path = join(out, f);
    if (f.endsWith(".jsonl") || f.endsWith(".svg")) rmSync(path, { force: true });
    else discardCheckpoint(path);
  }
}
