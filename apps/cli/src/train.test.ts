import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadCheckpoint } from "./checkpoint.js";
import type { TrainConfig } from "./config.js";
import type { Reporter, RunEvent } from "./reporter.js";
import { seedTask } from "./tasks/seed.js";
import { train } from "./train.js";

let dir = "";
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const config: TrainConfig = { ...seedTask.defaults, task: "seed", epochs: 2 }; // 25 batches an epoch
const epochsOf = (list: Extract<RunEvent, { event: "epoch" }>[]): Reporter => ({ emit: (e) => void (e.event === "epoch" && list.push(e)), close: () => undefined });
const numbers = (list: Extract<RunEvent, { event: "epoch" }>[]) => list.map(({ epoch, loss, testLoss, metrics }) => ({ epoch, loss, testLoss, metrics }));

class Killed extends Error {}

describe("train", () => {
  it("a stop request: dispose() (the signal listeners off) comes before the stop's save of last/, and nothing is evaluated", async () => {
    dir = mkdtempSync(join(tmpdir(), "heed-train-"));
    const order: string[] = [];
    const stop = { stopped: false, signal: null, dispose: () => void order.push("dispose") };
    const reporter: Reporter = {
      emit: (e) => {
        if (e.event === "step" && e.step === 3) stop.stopped = true; // a first signal during step 3
        if (e.event === "checkpoint" || e.event === "epoch") order.push(`${e.event} ${e.event === "checkpoint" ? `${e.kind} ${e.step}` : e.epoch}`);
      },
      close: () => undefined,
    };
    const r = await train(seedTask, config, { out: join(dir, "run"), resume: null, reporter, stop });
    expect(r.stopped).toBe("interrupt");
    // a second signal during that save gets the default action (the process ends, see StopRequest)
    expect(order).toEqual(["dispose", "checkpoint last 3"]);
  });

  it("saves last/ right before an epoch-end evaluation; a run killed there resumes to the same numbers", async () => {
    dir = mkdtempSync(join(tmpdir(), "heed-train-"));
    const straight: Extract<RunEvent, { event: "epoch" }>[] = [];
    await train(seedTask, config, { out: join(dir, "straight"), resume: null, reporter: epochsOf(straight) });
    expect(straight).toHaveLength(2);

    const out = join(dir, "killed");
    const killAtFirstSave: Reporter = {
      emit: (e) => {
        if (e.event === "checkpoint") throw new Killed(`at ${e.kind} step ${e.step}`);
        if (e.event === "epoch") throw new Error("evaluated before saving");
      },
      close: () => undefined,
    };
    await expect(train(seedTask, config, { out, resume: null, reporter: killAtFirstSave })).rejects.toThrow("at last step 25");
    const ckpt = loadCheckpoint(out, "last");
    expect([ckpt.trainer.step, ckpt.trainer.epoch, ckpt.trainer.batchInEpoch, ckpt.trainer.history.length]).toEqual([25, 1, 25, 0]);

    const resumed: Extract<RunEvent, { event: "epoch" }>[] = [];
    await train(seedTask, ckpt.config, { out, resume: ckpt, reporter: epochsOf(resumed) });
    expect(numbers(resumed)).toEqual(numbers(straight));
  });
});
