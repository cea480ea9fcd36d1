/** Helpers for the end-to-end tests: they spawn the BUILT binary (turbo builds apps/cli before its tests). */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect } from "vitest";

export const bin = fileURLToPath(new URL("../dist/cli.js", import.meta.url));

export function workDir(): string {
  return mkdtempSync(join(tmpdir(), "heed-e2e-"));
}

/**
 * A work directory for one test file, removed after it, and `run`: a TINY g2p model trained for
 * two steps before the file's tests (the checkpoint that guards and predict tests read).
 */
export function trainedRun(): { work: string; run: string } {
  const work = workDir();
  const run = join(work, "run");
  beforeAll(() => {
    const r = heed(work, ["train", ...TINY, "--max-steps", "2", "--out", run]);
    expect(r.code, r.stderr).toBe(0);
  }, 120_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  return { work, run };
}

export interface Result {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function heed(cwd: string, args: string[], input?: string): Result {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, input: input ?? "", encoding: "utf8", timeout: 280_000 });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** A g2p model small enough to train for a few steps in seconds; one epoch is 3,516 steps. */
export const TINY = ["--d-model", "16", "--heads", "2", "--layers", "1", "--ff", "32", "--batch-size", "32", "--eval-size", "20", "--warmup", "10"];

/** TINY without the flags a task has no use for (`heed train` refuses those): no feed-forward block in classify, forecast and seed; seed's feature model has no width, heads or layers and evaluates its whole test split. */
export function tinyFor(task: string): string[] {
  const drop = task === "seed" ? ["--ff", "--eval-size", "--d-model", "--heads", "--layers"] : task === "classify" || task === "forecast" ? ["--ff"] : [];
  return TINY.flatMap((v, i) => (drop.includes(v) || drop.includes(TINY[i - 1]!) ? [] : [v]));
}

export interface RunEvent {
  out?: string | null;
  event: string;
  step?: number;
  loss?: number;
  testLoss?: number;
  stopped?: string;
  signal?: string | null;
  line?: string;
  kind?: string;
}

export function events(stdout: string): RunEvent[] {
  return stdout.trim().split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as RunEvent);
}

/** The last `epoch` event: its running loss and test loss are what "the same numbers" compares. */
export function lastEpoch(stdout: string): RunEvent {
  return events(stdout).filter((e) => e.event === "epoch").at(-1)!;
}

/**
 * Start `heed … --json` and call `onEvent` for each event as it arrives (it may signal the child).
 * Resolves with everything the child printed and how it ended.
 */
export function watch(cwd: string, args: string[], onEvent: (e: RunEvent, child: ChildProcessWithoutNullStreams) => void): Promise<Result> {
  const child = spawn(process.execPath, [bin, ...args], { cwd });
  let stdout = "";
  let stderr = "";
  let pending = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    pending += chunk.toString();
    const lines = pending.split("\n");
    pending = lines.pop()!;
    for (const l of lines) if (l !== "") onEvent(JSON.parse(l) as RunEvent, child);
  });
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })));
}
