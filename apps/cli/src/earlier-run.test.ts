import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { findEarlierRun, removeEarlierRun, sameDirectory } from "./earlier-run.js";

let root = "";
afterEach(() => rmSync(root, { recursive: true, force: true }));

function checkpoint(dir: string, task: string, step: number, history?: unknown[]): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "config.json"), JSON.stringify({ task }));
  writeFileSync(join(dir, "trainer.json"), JSON.stringify({ step, history }));
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

  it("a run whose history begins with the resumed run's is named as its continuation", () => {
    root = mkdtempSync(join(tmpdir(), "heed-earlier-"));
    const a = [{ epoch: 1, loss: 3.5 }];
    checkpoint(join(root, "last"), "seed", 50, [...a, { epoch: 2, loss: 3.1 }]);
    expect(findEarlierRun(root, { history: a, dir: "runs/a" })!.what).toBe("a seed run continued from runs/a (saved at step 50)");
    expect(findEarlierRun(root, { history: [{ epoch: 1, loss: 3.4 }], dir: "runs/a" })!.what).toBe("a seed run (saved at step 50)");
    // a resumed run with no finished epoch yet says nothing about which run it began
    expect(findEarlierRun(root, { history: [], dir: "runs/a" })!.what).toBe("a seed run (saved at step 50)");
    expect(findEarlierRun(root)!.what).toBe("a seed run (saved at step 50)");
  });
});

describe("sameDirectory", () => {
  it("sees through spelling and symlinks, and a missing path is another directory", () => {
    root = mkdtempSync(join(tmpdir(), "heed-earlier-"));
    mkdirSync(join(root, "a"));
    symlinkSync(join(root, "a"), join(root, "link"));
    expect(sameDirectory(join(root, "a"), `${root}/./a/`)).toBe(true);
    expect(sameDirectory(join(root, "a"), join(root, "link"))).toBe(true);
    expect(sameDirectory(join(root, "a"), join(root, "b"))).toBe(false);
    expect(sameDirectory(join(root, "b"), join(root, "c"))).toBe(false);
  });
});
