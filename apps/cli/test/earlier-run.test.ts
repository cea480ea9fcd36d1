import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { heed, TINY, workDir } from "./cli.js";

const work = workDir();
afterAll(() => rmSync(work, { recursive: true, force: true }));

const savedTask = (out: string) => (JSON.parse(readFileSync(join(out, "last", "config.json"), "utf8")) as { task: string }).task;

describe("heed train into an --out that holds an earlier run (built binary)", () => {
  it("stops with one line naming the run and both ways on; --overwrite starts over and keeps what is not the run's", { timeout: 240_000 }, () => {
    const out = join(work, "run");
    const first = heed(work, ["train", ...TINY, "--max-steps", "2", "--out", out]);
    expect(first.code, first.stderr).toBe(0);

    const again = heed(work, ["train", "seed", "--max-steps", "2", "--out", out]);
    expect(again.code).toBe(2);
    expect(again.stderr.trim().split("\n")).toHaveLength(1);
    expect(again.stderr).toMatch(new RegExp(`--out ${out} already holds a g2p run \\(saved at step 2\\); continue it with '.+ train --resume ${out}', or start over there with --overwrite \\(deletes it\\), or choose another --out`));
    expect(savedTask(out)).toBe("g2p"); // untouched

    mkdirSync(join(out, "onnx"));
    writeFileSync(join(out, "notes.txt"), "mine");
    const over = heed(work, ["train", "seed", "--max-steps", "2", "--out", out, "--overwrite"]);
    expect(over.code, over.stderr).toBe(0);
    expect(savedTask(out)).toBe("seed");
    expect(existsSync(join(out, "notes.txt"))).toBe(true);
    expect(readdirSync(out).sort()).toEqual(expect.arrayContaining(["best", "last", "notes.txt", "onnx"]));
    const best = JSON.parse(readFileSync(join(out, "best", "config.json"), "utf8")) as { task: string };
    expect(best.task).toBe("seed"); // no g2p best/ left beside the seed run

    const resumed = heed(work, ["train", "--resume", out, "--max-steps", "3"]);
    expect(resumed.code, resumed.stderr).toBe(0); // --resume is not a new run: no refusal
  });

  it("--resume A --out B: goes on into an empty B, refuses a B that holds a run (even A's own continuation), --overwrite replaces it; B == A is plain resume", { timeout: 120_000 }, () => {
    const a = join(work, "a");
    const b = join(work, "b");
    const step = (out: string) => (JSON.parse(readFileSync(join(out, "last", "trainer.json"), "utf8")) as { step: number }).step;
    expect(heed(work, ["train", "seed", "--epochs", "1", "--out", a]).code).toBe(0);
    const aStep = step(a);
    mkdirSync(b);
    writeFileSync(join(b, "notes.txt"), "mine");
    const fork = heed(work, ["train", "--resume", a, "--out", b, "--epochs", "2"]);
    expect(fork.code, fork.stderr).toBe(0);
    expect(step(b)).toBe(2 * aStep);
    expect(step(a)).toBe(aStep); // A is left as it was

    // again: b now holds a's continuation, which resuming a would overwrite with an older state
    const again = heed(work, ["train", "--resume", `${a}/last`, "--out", b, "--epochs", "3"]);
    expect(again.code).toBe(2);
    expect(again.stderr.trim().split("\n")).toHaveLength(1);
    expect(again.stderr).toMatch(new RegExp(`--out ${b} already holds a seed run continued from ${a} \\(saved at step ${2 * aStep}\\), which resuming ${a} there would overwrite; continue that one with '.+ train --resume ${b}', or replace it with --overwrite \\(deletes it\\), or choose another --out`));
    expect(step(b)).toBe(2 * aStep); // untouched

    // another run in B: g2p's `run` from the test above is no continuation of a
    const other = heed(work, ["train", "--resume", a, "--out", join(work, "run"), "--epochs", "2"]);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/already holds a seed run \(saved at step 3\), which resuming .+ there would overwrite/);

    const over = heed(work, ["train", "--resume", a, "--out", b, "--epochs", "3", "--overwrite"]);
    expect(over.code, over.stderr).toBe(0);
    expect(step(b)).toBe(3 * aStep);
    expect(readFileSync(join(b, "notes.txt"), "utf8")).toBe("mine");

    const same = heed(work, ["train", "--resume", a, "--out", `${a}/`, "--epochs", "2"]);
    expect(same.code, same.stderr).toBe(0); // the run's own directory, however spelled: no refusal
    expect(step(a)).toBe(2 * aStep);
  });

  it("--overwrite with --resume into the resumed run itself, or with --no-save, is a usage error", () => {
    for (const args of [["--resume", join(work, "run"), "--overwrite"], ["--resume", join(work, "run", "last"), "--out", join(work, "run"), "--overwrite"], ["seed", "--no-save", "--overwrite"]]) {
      const r = heed(work, ["train", ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--overwrite/);
    }
  });
});
