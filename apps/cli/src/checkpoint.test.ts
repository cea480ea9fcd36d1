import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { copyCheckpoint, recoverCheckpoint, resolveCheckpointDir } from "./checkpoint.js";

let root = "";
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** A checkpoint directory as a save leaves it: `complete` = config.json (written last) is there. */
function fake(dir: string, step: number, complete = true): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "model.safetensors"), String(step));
  if (complete) writeFileSync(join(dir, "config.json"), JSON.stringify({ step }));
}
const stepOf = (dir: string) => (JSON.parse(readFileSync(join(dir, "config.json"), "utf8")) as { step: number }).step;

// Every state a save (write last.new/, move last/ to last.old/, move last.new/ to last/, remove last.old/) can be killed in.
const STATES: [string, (last: string) => void, number][] = [
  ["writing last.new (incomplete)", (l) => (fake(l, 1), fake(`${l}.new`, 2, false)), 1],
  ["last.new complete, not yet swapped", (l) => (fake(l, 1), fake(`${l}.new`, 2)), 2],
  ["between the two renames", (l) => (fake(`${l}.old`, 1), fake(`${l}.new`, 2)), 2],
  ["removing last.old", (l) => (fake(l, 2), fake(`${l}.old`, 1, false)), 2],
  ["a stale trash directory", (l) => (fake(l, 2), fake(`${l}.trash-0a1b2c3d`, 1, false)), 2],
  ["killed while deleting last.old (its trash)", (l) => (fake(l, 2), fake(`${l}.old.trash-9e63d484`, 1, false)), 2],
  ["killed while deleting an incomplete last.new (its trash)", (l) => (fake(l, 2), fake(`${l}.new.trash-00ff00ff`, 3, false)), 2],
  ["only last.old left", (l) => fake(`${l}.old`, 1), 1],
];

describe("checkpoint saves cut short", () => {
  it.each(STATES)("%s: the run directory and last/'s own path resolve to the newest complete save, and recovery leaves only last/", (_, make, newest) => {
    root = mkdtempSync(join(tmpdir(), "heed-ckpt-"));
    const last = join(root, "last");
    make(last);
    expect(stepOf(resolveCheckpointDir(root, "last"))).toBe(newest);
    expect(stepOf(resolveCheckpointDir(last))).toBe(newest); // `heed eval runs/g2p/last`, also while last/ itself is missing
    recoverCheckpoint(last);
    expect(readdirSync(root)).toEqual(["last"]);
    expect(stepOf(last)).toBe(newest);
    expect(existsSync(join(last, "model.safetensors"))).toBe(true);
  });

  it("recovery leaves other checkpoints' directories alone", () => {
    root = mkdtempSync(join(tmpdir(), "heed-ckpt-"));
    fake(join(root, "last"), 2);
    fake(join(root, "last-straight.trash-0a1b2c3d"), 1); // not last's: a different name
    fake(join(root, "valid-best.old.trash-0a1b2c3d"), 1, false); // another checkpoint's leftover, tidied by its own recovery
    recoverCheckpoint(join(root, "last"));
    expect(readdirSync(root).sort()).toEqual(["last", "last-straight.trash-0a1b2c3d", "valid-best.old.trash-0a1b2c3d"]);
  });

  it("a directory with no complete save is not a checkpoint", () => {
    root = mkdtempSync(join(tmpdir(), "heed-ckpt-"));
    fake(join(root, "last.new"), 1, false);
    expect(() => resolveCheckpointDir(root)).toThrow(/is not a heed checkpoint/);
  });

  it("copyCheckpoint replaces the target with a complete copy and leaves no .new behind", () => {
    root = mkdtempSync(join(tmpdir(), "heed-ckpt-"));
    fake(join(root, "refit", "last"), 7);
    writeFileSync(join(root, "refit", "last", "vocab.json"), "{}");
    fake(join(root, "best"), 3);
    fake(join(root, "best.new"), 4, false); // a save cut short
    copyCheckpoint(join(root, "best"), join(root, "valid-best"));
    copyCheckpoint(join(root, "refit", "last"), join(root, "best"));
    expect(readdirSync(root).sort()).toEqual(["best", "refit", "valid-best"]);
    expect([stepOf(join(root, "best")), stepOf(join(root, "valid-best"))]).toEqual([7, 3]);
    expect(readdirSync(join(root, "best")).sort()).toEqual(["config.json", "model.safetensors", "vocab.json"]);
  });
});
