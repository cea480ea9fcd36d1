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

  it("--overwrite with --resume or --no-save is a usage error", () => {
    for (const args of [["--resume", join(work, "run"), "--overwrite"], ["seed", "--no-save", "--overwrite"]]) {
      const r = heed(work, ["train", ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--overwrite/);
    }
  });
});
