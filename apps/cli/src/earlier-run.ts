import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
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

/** The run a fresh `heed train --out <out>` would land on, or null when `out` holds none. */
export function findEarlierRun(out: string): EarlierRun | null {
  if (!existsSync(out)) return null;
  const entries = readdirSync(out).filter((f) => RUN_ENTRY.test(f)).sort();
  if (entries.length === 0) return null;
  let what = `the checkpoint directories of a run (${entries.join(", ")})`;
  for (const dir of [join(out, "last"), join(out, "best")]) {
    try {
      const task = (JSON.parse(readFileSync(join(dir, "config.json"), "utf8")) as { task?: unknown }).task;
      const step = (JSON.parse(readFileSync(join(dir, "trainer.json"), "utf8")) as { step?: unknown }).step;
      if (typeof task === "string" && typeof step === "number") {
        what = `a ${task} run (saved at step ${step.toLocaleString("en-US")})`;
        break;
      }
    } catch {
      // not a complete checkpoint: keep the plain description
    }
  }
  return { entries, what };
}

/** Remove an earlier run's own entries from `out` (`--overwrite`); each directory goes atomically. */
export function removeEarlierRun(out: string, run: EarlierRun): void {
  for (const f of run.entries) {
    const path = join(out, f);
    if (f.endsWith(".jsonl") || f.endsWith(".svg")) rmSync(path, { force: true });
    else discardCheckpoint(path);
  }
}
