import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { TASK_DEFINITIONS } from "./tasks/index.js";
import { checkOutDir, checkOutFile, estimateCheckpointBytes } from "./outdir.js";

let root = "";
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("checkOutDir", () => {
  it("creates a missing --out, nested too, and leaves no probe file", () => {
    root = mkdtempSync(join(tmpdir(), "heed-out-"));
    const out = join(root, "a", "b");
    checkOutDir(out, 1000);
    expect(existsSync(out)).toBe(true);
    expect(existsSync(join(out, `.heed-write-test-${process.pid}`))).toBe(false);
  });

  it("removes the probe file a check killed mid-probe left, and keeps a running process's", () => {
    root = mkdtempSync(join(tmpdir(), "heed-out-"));
    const gone = spawnSync(process.execPath, ["-e", ""]).pid; // the killed check's process id
    const running = process.ppid; // a process that is still running
    for (const pid of [gone, running]) writeFileSync(join(root, `.heed-write-test-${pid}`), "heed");
    checkOutDir(root, 1000);
    expect(readdirSync(root)).toEqual([`.heed-write-test-${running}`]);
  });

  it("names the path and the reason: a file, under a file, not enough space", () => {
    root = mkdtempSync(join(tmpdir(), "heed-out-"));
    const file = join(root, "f");
    writeFileSync(file, "");
    expect(() => checkOutDir(file, 1)).toThrow(`cannot write checkpoints to --out ${file}: it is a file, not a directory`);
    expect(() => checkOutDir(join(file, "x", "y"), 1)).toThrow(`cannot write checkpoints to --out ${join(file, "x", "y")}: ${file} is a file, not a directory`);
    expect(() => checkOutDir(root, 2 ** 60)).toThrow(/^cannot write checkpoints to --out .*: only [\d.]+ MB free, and saving a checkpoint needs about [\d.]+ MB$/);
  });

  it("an export directory and an output file name the --out given and what was to be written there", () => {
    root = mkdtempSync(join(tmpdir(), "heed-out-"));
    const file = join(root, "f");
    writeFileSync(file, "");
    expect(() => checkOutDir(file, 0, "the ONNX export")).toThrow(`cannot write the ONNX export to --out ${file}: it is a file, not a directory`);
    expect(() => checkOutFile(join(file, "map.png"), "the attention map")).toThrow(`cannot write the attention map to --out ${join(file, "map.png")}: ${file} is a file, not a directory`);
    expect(() => checkOutFile(root, "the attention map")).toThrow(`cannot write the attention map to --out ${root}: it is a directory, not a file`);
    checkOutFile(join(root, "new", "map.svg"), "the attention map"); // a missing directory is made
    expect(existsSync(join(root, "new"))).toBe(true);
    expect(existsSync(join(root, "new", "map.svg"))).toBe(false);
  });

  it("estimates more than the default g2p checkpoint's 685,257 parameters x 3 float32s", () => {
    const bytes = estimateCheckpointBytes(TASK_DEFINITIONS.g2p.defaults);
    expect(bytes).toBeGreaterThan(685_257 * 12);
    expect(bytes / 2 ** 20).toBeCloseTo(19.27, 2);
  });
});
