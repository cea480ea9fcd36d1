import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { events, heed, TINY, trainedRun } from "./cli.js";

const { work, run } = trainedRun();

function oneLine(stderr: string): string {
  const lines = stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

describe("heed train checks before it trains (built binary)", () => {
  it("an --out that is a file, or under a file, fails before any data is loaded: one line, exit 1", () => {
    const file = join(work, "a-file");
    writeFileSync(file, "not a directory");
    for (const [out, reason] of [
      [file, "it is a file, not a directory"],
      [join(file, "run"), `${file} is a file, not a directory`],
    ] as const) {
      const r = heed(work, ["train", ...TINY, "--out", out, "--json"]);
      expect(r.code).toBe(1);
      expect(oneLine(r.stderr)).toBe(`heed: cannot write checkpoints to --out ${out}: ${reason}`);
      expect(r.stdout).toBe(""); // not even the start event: nothing was loaded or built
    }
  });

  it("a diverging loss stops the run: one line suggesting a lower --lr, exit 1, the last good checkpoint kept", { timeout: 120_000 }, () => {
    const out = join(work, "diverged");
    mkdirSync(out);
    const r = heed(work, ["train", ...TINY, "--lr", "1e9", "--warmup", "0", "--out", out, "--save-every", "0.0001", "--json"]);
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toMatch(/^heed: training diverged at epoch 1, step (\d+): loss \S+ \(the first batch's was \d+\.\d{4}\); try a lower --lr than 1000000000(; the last good checkpoint is .*last \(step \d+\)|; no checkpoint was saved)$/);
    const saved = events(r.stdout).filter((e) => e.event === "checkpoint");
    if (saved.length > 0) expect(heed(work, ["info", out]).code).toBe(0);
  });

  it.each([
    [["--d-model", "32"], /^heed: --d-model 32 conflicts with the run being resumed: .*last was trained with --d-model 16 \(on --resume only --epochs, --max-minutes, --max-steps, --eval-size, --patience, --save-every, --out and output flags may change\)$/],
    [["--from", "fr"], /^heed: --from fr conflicts with the run being resumed: .* was trained with --from en /],
    [["--lr", "0.1"], /^heed: --lr 0.1 conflicts with .* was trained with --lr 0.002 /],
  ])("--resume with %j: exit 2 naming the flag and the checkpoint's value", (flags, message) => {
    const r = heed(work, ["train", "--resume", run, ...flags]);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toMatch(message);
  });

  it("--resume with another task is a usage error; the same value as the checkpoint's is no conflict", { timeout: 120_000 }, () => {
    const task = heed(work, ["train", "translate", "--resume", run]);
    expect(task.code).toBe(2);
    expect(oneLine(task.stderr)).toMatch(/^heed: task 'translate' conflicts with the run being resumed: .* holds a 'g2p' run$/);
    const same = heed(work, ["train", "g2p", "--resume", join(run, "last"), "--d-model", "16", "--max-steps", "3", "--save-every", "0", "--json"]);
    expect(same.code, same.stderr).toBe(0);
    expect(events(same.stdout).filter((e) => e.event === "step")).toHaveLength(1);
    expect(existsSync(join(run, "last", "last"))).toBe(false); // resuming run/last goes on writing to run/
    expect(events(same.stdout).at(-1)).toMatchObject({ event: "done", out: run });
  });

  it("train --help lists the flags that may change on resume", () => {
    const r = heed(work, ["train", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout.replace(/\s+/g, " ")).toMatch(/These may change on resume: --epochs, --max-minutes, --max-steps, --eval-size, --patience, --save-every, --out, --no-save, --json, --threads, --verbose A run that has already ended/);
  });
});
