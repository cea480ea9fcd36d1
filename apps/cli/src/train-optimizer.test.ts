import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AdamW, Linear } from "@heed/nn";
import { Generator, mul, sum } from "@heed/tensor-core";
import { afterEach, describe, expect, it } from "vitest";
import { loadCheckpoint } from "./checkpoint.js";
import type { TrainConfig } from "./config.js";
import { seedTask } from "./tasks/seed.js";
import { makeOptimizer, train } from "./train.js";

/** One optimizer step on a loss whose gradient is zero: only the weight decay moves the weights. */
function stepWithZeroGradient(weightDecay: number | undefined): { before: number[]; after: number[]; isAdamW: boolean } {
  const model = new Linear(3, 2, { rng: new Generator(7) });
  const before = Array.from(model.weight.data, Number);
  const opt = makeOptimizer(model, { lr: 0.1, ...(weightDecay === undefined ? {} : { weightDecay }) });
  sum(mul(model.weight, 0)).backward();
  opt.step();
  return { before, after: Array.from(model.weight.data, Number), isAdamW: opt instanceof AdamW };
}

let dir = "";
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("the trainer's optimizer", () => {
  it("--weight-decay λ > 0 is AdamW: every weight is scaled by 1 − lr·λ each step, before the Adam update", () => {
    const { before, after, isAdamW } = stepWithZeroGradient(0.5);
    expect(isAdamW).toBe(true);
    after.forEach((w, i) => expect(w).toBeCloseTo(before[i]! * (1 - 0.1 * 0.5), 6));
  });

  it("no weight decay (absent or 0) is plain Adam: a zero gradient leaves the weights alone", () => {
    for (const wd of [undefined, 0]) {
      const { before, after, isAdamW } = stepWithZeroGradient(wd);
      expect(isAdamW).toBe(false);
      expect(after).toEqual(before);
    }
  });

  it("a run with weight decay records it in config.json (read back by loadCheckpoint) and trains to different weights than one without", async () => {
    dir = mkdtempSync(join(tmpdir(), "heed-wd-"));
    const config: TrainConfig = { ...seedTask.defaults, task: "seed", epochs: 1, maxSteps: 5 };
    const quiet = { emit: () => undefined, close: () => undefined };
    const plain = await train(seedTask, config, { out: join(dir, "plain"), resume: null, reporter: quiet });
    const decayed = await train(seedTask, { ...config, weightDecay: 0.5 }, { out: join(dir, "decayed"), resume: null, reporter: quiet });
    const saved = JSON.parse(readFileSync(join(decayed.checkpoint!, "config.json"), "utf8")) as TrainConfig;
    expect(saved.weightDecay).toBe(0.5);
    expect(loadCheckpoint(decayed.checkpoint!).config.weightDecay).toBe(0.5); // kept by config.json's schema, so --resume decays too
    expect(plain.last!.loss).not.toBe(decayed.last!.loss);
  });
});
