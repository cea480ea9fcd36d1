import { mkdirSync, readdirSync, rmSync, statSync, statfsSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { TrainConfig } from "./config.js";
import { RuntimeError } from "./errors.js";

const MB = 1024 * 1024;

/**
 * A generous estimate of one checkpoint's size before the model exists: the weights of an
 * encoder–decoder of this shape with a 4,000-token vocabulary, times 3 (weights and Adam's two
 * moments), as float32. The default g2p checkpoint takes 7.9 MB; this estimates 19.3 MB (MB = 2^20 bytes).
 */
export function estimateCheckpointBytes(c: Pick<TrainConfig, "dModel" | "layers" | "ff">): number {
  const E = c.dModel;
  // per encoder + decoder layer pair: three attention blocks (4E² each), two feed-forwards, norms
  const perLayer = 12 * E * E + 4 * E * c.ff + 16 * E;
  const params = c.layers * perLayer + 2 * 4000 * E; // + input and output embeddings
  return 3 * 4 * params;
}

function fail(what: string, out: string, reason: string): never {
  throw new RuntimeError(`cannot write ${what} to --out ${out}: ${reason}`);
}

function kind(path: string): "dir" | "file" | null {
  try {
    return statSync(path).isDirectory() ? "dir" : "file";
  } catch {
    return null;
  }
}

const PROBE = ".heed-write-test-";

/** Remove the probe files of checks killed between their write and their delete (their process is gone). */
function removeStaleProbes(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const f of names) {
    const pid = f.startsWith(PROBE) ? Number(f.slice(PROBE.length)) : Number.NaN;
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) continue;
    try {
      process.kill(pid, 0);
      continue; // running: its check is under way
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EPERM") continue; // running, as another user
    }
    rmSync(join(dir, f), { force: true });
  }
}

/**
 * Check up front, before any data is loaded, that `out` can hold checkpoints (or `what` else):
 * it is (or can be made) a directory, is not under a file, takes a test write, and has room for
 * `neededBytes` twice (a save writes the new checkpoint before it removes the old one). Errors
 * name `--out <shown>` (default `out`).
 */
export function checkOutDir(out: string, neededBytes: number, what = "checkpoints", shown = out): void {
  const abs = resolve(out);
  for (let p = abs; ; p = dirname(p)) {
    const k = kind(p);
    if (k === "file") fail(what, shown, p === abs && shown === out ? "it is a file, not a directory" : `${p} is a file, not a directory`);
    if (k === "dir" || dirname(p) === p) break;
  }
  try {
    mkdirSync(abs, { recursive: true });
  } catch (e) {
    fail(what, shown, `cannot create ${shown === out ? "it" : abs} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const probe = join(abs, `${PROBE}${process.pid}`);
  removeStaleProbes(abs);
  try {
    writeFileSync(probe, "heed");
    rmSync(probe, { force: true });
  } catch (e) {
    fail(what, shown, `${shown === out ? "it" : abs} is not writable (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let free = Infinity;
  try {
    const s = statfsSync(abs);
    free = s.bavail * s.bsize;
  } catch {
    // statfs is not available everywhere; the first save would report a full disk
  }
  if (free < 2 * neededBytes) {
    fail(what, shown, `only ${(free / MB).toFixed(1)} MB free, and saving a checkpoint needs about ${((2 * neededBytes) / MB).toFixed(1)} MB`);
  }
}

/** An output file's `--out`: not a directory, and its directory is (or can be made) a writable one. */
export function checkOutFile(out: string, what: string): void {
  if (kind(resolve(out)) === "dir") fail(what, out, "it is a directory, not a file");
  checkOutDir(dirname(resolve(out)), 0, what, out);
}
