import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { events, heed, lastEpoch, TINY, watch, workDir } from "./cli.js";

const work = workDir();
afterAll(() => rmSync(work, { recursive: true, force: true }));

function train(args: string[]): { steps: number[]; loss: number; testLoss: number } {
  const r = heed(work, ["train", ...TINY, "--json", ...args]);
  expect(r.code, r.stderr).toBe(0);
  const epoch = lastEpoch(r.stdout);
  return { steps: events(r.stdout).filter((e) => e.event === "step").map((e) => e.loss!), loss: epoch.loss!, testLoss: epoch.testLoss! };
}

describe("heed train --threads 2: data-parallel replicas (built binary)", () => {
  it("without dropout, 2 replicas train as 1 does, up to float summation order", { timeout: 300_000 }, () => {
    const one = train(["--threads", "1", "--dropout", "0", "--max-steps", "4", "--no-save"]);
    const two = train(["--threads", "2", "--dropout", "0", "--max-steps", "4", "--no-save"]);
    expect(two.steps).toHaveLength(4);
    two.steps.forEach((l, i) => expect(l).toBeCloseTo(one.steps[i]!, 5));
    expect(two.testLoss).toBeCloseTo(one.testLoss, 4);
  });

  it("with dropout: the same seed and thread count give the same bits; --resume goes on with the same numbers", { timeout: 300_000 }, () => {
    const out = join(work, "dp");
    const first = train(["--threads", "2", "--max-steps", "3", "--out", out]);
    const straight = train(["--threads", "2", "--max-steps", "5", "--out", join(work, "straight")]);
    expect(straight.steps.slice(0, 3)).toEqual(first.steps);
    const again = train(["--threads", "2", "--max-steps", "5", "--no-save"]);
    expect(again).toEqual(straight);
    const resumed = heed(work, ["--threads", "2", "train", "--resume", out, "--max-steps", "5", "--json"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(lastEpoch(resumed.stdout).loss).toBe(straight.loss);
    expect(lastEpoch(resumed.stdout).testLoss).toBe(straight.testLoss);
  });

  it("SIGINT mid-epoch: saves last/ and exits 130 as with one thread", { timeout: 300_000 }, async () => {
    const out = join(work, "sigint");
    let sent = false;
    const r = await watch(work, ["--threads", "2", "train", ...TINY, "--out", out, "--save-every", "0", "--json"], (e, child) => {
      if (!sent && e.event === "step" && e.step === 3) {
        sent = true;
        child.kill("SIGINT");
      }
    });
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(new RegExp(`^heed: SIGINT at epoch 1, step \\d+: saved ${out}/last; resume: `));
    expect(events(r.stdout).at(-1)).toMatchObject({ event: "done", stopped: "interrupt", signal: "SIGINT" });
  });
});
