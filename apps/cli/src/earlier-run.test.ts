import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { findEarlierRun, removeEarlierRun } from "./earlier-run.js";

let root = "";
afterEach(() => rmSync(root, { recursive: true, force: true }));

function checkpoint(dir: string, task: string, step: number): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "config.json"), JSON.stringify({ task }));
  writeFileSync(join(dir, "trainer.json"), JSON.stringify({ step }));
}

describe("an earlier run in --out", () => {
  it("a missing, empty or foreign directory holds none", () => {
    root = mkdtempSync(join(tmpdir(), "heed-earlier-"));
    expect(findEarlierRun(join(root, "missing"))).toBeNull();
    expect(findEarlierRun(root)).toBeNull();
    mkdirSync(join(root, "onnx"));
    writeFileSync(join(root, "notes.txt"), "mine");
    mkdirSync(join(root, "lastly"));
    expect(findEarlierRun(root)).toBeNull();
  });

  it("is named by its task and step, and --overwrite removes only the run's own entries", () => {
    root = mkdtempSync(join(tmpdir(), "heed-earlier-"));
    checkpoint(join(root, "last"), "g2p", 1569);
    checkpoint(join(root, "best"), "g2p", 1400);
    mkdirSync(join(root, "refit", "last"), { recursive: true });
    mkdirSync(join(root, "last.old.trash-0a1b2c3d"));
    writeFileSync(join(root, "metrics.jsonl"), "{}\n");
    writeFileSync(join(root, "loss.svg"), "<svg/>");
    mkdirSync(join(root, "onnx"));
    writeFileSync(join(root, "notes.txt"), "mine");
    const run = findEarlierRun(root)!;
    expect(run.what).toBe("a g2p run (saved at step 1,569)");
    expect(run.entries).toEqual(["best", "last", "last.old.trash-0a1b2c3d", "loss.svg", "metrics.jsonl", "refit"]);
    removeEarlierRun(root, run);
    expect(readdirSync(root).sort()).toEqual(["notes.txt", "onnx"]);
    expect(findEarlierRun(root)).toBeNull();
  });

  it("a run cut short before its first complete save is still a run", () => {
    root = mkdtempSync(join(tmpdir(), "heed-earlier-"));
    mkdirSync(join(root, "last.new"));
    const run = findEarlierRun(root)!;
    expect(run.what).toBe("the checkpoint directories of a run (last.new)");
    removeEarlierRun(root, run);
    expect(existsSync(join(root, "last.new"))).toBe(false);
  });
});
