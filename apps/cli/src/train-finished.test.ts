import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Linear, mseLoss } from "@heed/nn";
import { tensor, type Generator } from "@heed/tensor-core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { copyCheckpoint, loadCheckpoint } from "./checkpoint.js";
import type { TrainConfig } from "./config.js";
import { HumanReporter, type RunEvent } from "./reporter.js";
import type { Evaluation, TaskDefinition, TaskRuntime, TrainData } from "./task.js";
import { train } from "./train.js";
import { finishedRun } from "./train-finished.js";
import { freshTrainerState } from "./trainer-state.js";

const DEFAULTS = { epochs: 6, batchSize: 2, lr: 1e-2, seed: 1, dModel: 4, heads: 1, layers: 1, ff: 4, dropout: 0, maxMinutes: 10, maxSteps: 0, warmup: 0, labelSmoothing: 0, attention: "feature" as const, evalSize: 0, beam: 1, locales: ["en", "zh"] as [string, string] };

/** Every runtime the task creates (phase 1, phase 2 of --refit) and the batches it trained on. */
interface Log {
  phases: TrainData[];
  steps: number;
}

/** A task with one batch per epoch; validation losses scripted per epoch (best at epoch 2). */
function scriptedTask(valid: number[], log: Log): TaskDefinition {
  const create = (_c: unknown, rng: Generator, _v?: unknown, data: TrainData = {}): TaskRuntime => {
    const model = new Linear(1, 1, { rng });
    log.phases.push(data);
    let epoch = 0;
    return {
      model,
      trainSize: 2,
      testSize: 2,
      batches: () => [[0, 1]],
      batchSize: () => 2,
      loss() {
        log.steps++;
        return mseLoss(model.forward(tensor([[1], [2]])), tensor(data.withValid === true ? [[5], [3]] : [[0], [1]]));
      },
      evaluate(split: "valid" | "test"): Evaluation {
        return { loss: split === "valid" ? (valid[epoch++] ?? 9) : 1, metrics: {} };
      },
      formatMetrics: () => "",
      selection: { metric: "validLoss", higherIsBetter: false },
      predict: (inputs) => inputs,
      vocab: () => ({}),
    };
  };
  return { name: "seed", description: "scripted", defaults: DEFAULTS, refit: true, create };
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const VALID = [3, 1, 2, 4, 5, 6, 7, 8, 9, 10];

async function first(config: Partial<TrainConfig>) {
  const out = mkdtempSync(join(tmpdir(), "heed-finished-"));
  dirs.push(out);
  const log: Log = { phases: [], steps: 0 };
  const result = await train(scriptedTask(VALID, log), { ...DEFAULTS, task: "seed", ...config }, { out, resume: null, reporter: { emit: () => {}, close: () => {} } });
  return { out, log, result };
}

/** `heed train --resume out` with `config` over the checkpoint's: what it trained and emitted. */
async function resume(out: string, config: Partial<TrainConfig> = {}) {
  const ckpt = loadCheckpoint(out, "last");
  const log: Log = { phases: [], steps: 0 };
  const events: RunEvent[] = [];
  const result = await train(scriptedTask(VALID, log), { ...ckpt.config, ...config }, { out, resume: ckpt, reporter: { emit: (e) => events.push(e), close: () => {} } });
  return { log, result, events };
}

describe("--resume of a run that has already finished", () => {
  it.each([
    ["patience", { patience: 2 }, "no better validation score in --patience 2 epochs", "a larger --patience (0 turns it off)"],
    ["epochs", { epochs: 3 }, "all 3 epochs trained", "a larger --epochs"],
    ["steps", { maxSteps: 3 }, "step budget reached: 3 of --max-steps 3", "a larger --max-steps (0 = no limit)"],
  ] as const)("stopped by %s: trains nothing, saves nothing, one done event saying why", async (reason, config, why, more) => {
    const { out, result: before } = await first(config);
    expect(before.stopped).toBe(reason);
    const lastBefore = readFileSync(join(out, "last", "trainer.json"), "utf8");
    const metricsBefore = readFileSync(join(out, "metrics.jsonl"), "utf8");
    const { log, result, events } = await resume(out);
    expect(log.steps).toBe(0);
    expect(result).toMatchObject({ stopped: reason, step: before.step, alreadyFinished: { reason, why, more } });
    expect(events).toEqual([expect.objectContaining({ event: "done", stopped: reason, alreadyFinished: { epoch: before.last?.epoch, step: before.step, why, more } })]);
    expect(before.step).toBe(reason === "patience" ? 4 : 3);
    expect(readFileSync(join(out, "last", "trainer.json"), "utf8")).toBe(lastBefore);
    expect(readFileSync(join(out, "metrics.jsonl"), "utf8")).toBe(metricsBefore); // no second record of the last epoch
  });

  it("a larger limit on --resume trains on, exactly one more epoch per epoch", async () => {
    const { out } = await first({ patience: 2 });
    const { log, result } = await resume(out, { patience: 3 });
    expect(result.alreadyFinished).toBeUndefined();
    expect([result.stopped, log.steps, result.step]).toEqual(["patience", 1, 5]); // stopped at epoch 4 (best 2), one more epoch
  });

  it("a run killed while writing metrics.jsonl or loss.svg: the resumed run's next write removes the temporary files left", async () => {
    const { out } = await first({ epochs: 1 });
    const gone = spawnSync(process.execPath, ["-e", ""]).pid; // the killed run's process id
    const left = [`.metrics.jsonl.${gone}.0123456789ab.tmp`, `.loss.svg.${gone}.ba9876543210.tmp`];
    for (const f of left) writeFileSync(join(out, f), "half a file");
    await resume(out, { epochs: 2 });
    expect(readdirSync(out).sort()).toEqual(["best", "last", "loss.svg", "metrics.jsonl"]);
  });

  it("a run killed in saves of best/ and valid-best/: --resume (here of a finished run) finishes or undoes each and leaves no leftover", async () => {
    const { out } = await first({ patience: 2 });
    const best = readFileSync(join(out, "best", "model.safetensors"));
    renameSync(join(out, "best"), join(out, "best.old")); // killed between the two renames of a best/ save...
    cpSync(join(out, "best.old"), join(out, "best.new"), { recursive: true });
    rmSync(join(out, "best.new", "config.json")); // ...whose best.new/ was not complete
    mkdirSync(join(out, "valid-best.old.trash-0a1b2c3d")); // killed while deleting an old valid-best/
    mkdirSync(join(out, "refit", "last.new"), { recursive: true }); // phase 2's first save cut short
    await resume(out);
    expect(readdirSync(out).sort()).toEqual(["best", "last", "loss.svg", "metrics.jsonl", "refit"]);
    expect(readdirSync(join(out, "refit"))).toEqual([]);
    expect(readFileSync(join(out, "best", "model.safetensors")).equals(best)).toBe(true);
  });

  it("--refit on: a finished phase 2 is not run again; one cut short runs again, without more phase 1 training", async () => {
    const { out, log: firstLog } = await first({ patience: 2, refit: true });
    expect(firstLog.phases).toEqual([{}, { withValid: true }]);
    const bestAfterRefit = readFileSync(join(out, "best", "model.safetensors"));
    const again = await resume(out);
    expect([again.log.phases.length, again.log.steps, again.result.stopped]).toEqual([0, 0, "patience"]);
    expect(readFileSync(join(out, "best", "model.safetensors")).equals(bestAfterRefit)).toBe(true);
    // phase 2 did not finish (its valid-best/ swap never happened): only phase 2 runs, for phase 1's best 2 epochs
    rmSync(join(out, "valid-best"), { recursive: true });
    const redo = await resume(out);
    expect(redo.log.phases).toEqual([{}, { withValid: true }]);
    expect([redo.log.steps, redo.result.refit?.stopped, redo.result.refit?.epochs]).toEqual([2, "epochs", 2]);
    expect(existsSync(join(out, "valid-best", "config.json"))).toBe(true);
  });

  it("--refit on, killed between phase 2's two copies (valid-best/ written, best/ still phase 1's): --resume finishes the copy, trains nothing", async () => {
    const { out } = await first({ patience: 2, refit: true });
    const phase2Best = readFileSync(join(out, "best", "model.safetensors"));
    const phase1Best = readFileSync(join(out, "valid-best", "model.safetensors"));
    expect(phase2Best.equals(phase1Best)).toBe(false);
    copyCheckpoint(join(out, "valid-best"), join(out, "best")); // best/ as it was before the second copy
    const again = await resume(out);
    expect([again.log.phases.length, again.log.steps, again.result.stopped]).toEqual([0, 0, "patience"]);
    expect(readFileSync(join(out, "best", "model.safetensors")).equals(phase2Best)).toBe(true);
    expect(readFileSync(join(out, "best", "trainer.json"), "utf8")).toBe(readFileSync(join(out, "refit", "last", "trainer.json"), "utf8"));
    expect(readFileSync(join(out, "valid-best", "model.safetensors")).equals(phase1Best)).toBe(true);
  });

  it("--refit on, phase 1 resumed with a larger --patience after phase 2: best/ is phase 1's again until phase 2 reruns", async () => {
    const { out } = await first({ patience: 2, refit: true });
    const phase1Best = readFileSync(join(out, "valid-best", "model.safetensors"));
    const more = await resume(out, { patience: 3 });
    expect(more.log.phases).toEqual([{}, { withValid: true }]);
    expect(readFileSync(join(out, "valid-best", "model.safetensors")).equals(phase1Best)).toBe(true); // not phase 2's old model
  });

  it("the human line names the epoch, the step, why, and the flag that goes on", () => {
    const write = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      new HumanReporter(false).emit({ event: "done", metrics: {}, seconds: 1, out: "runs/x", stopped: "patience", signal: null, alreadyFinished: { epoch: 43, step: 731, why: "no better validation score in --patience 15 epochs", more: "a larger --patience (0 turns it off)" } });
      expect(write.mock.calls).toEqual([["already finished at epoch 43, step 731 (no better validation score in --patience 15 epochs): nothing to train in runs/x; to train on, resume with a larger --patience (0 turns it off)\n"]]);
    } finally {
      write.mockRestore();
    }
  });

  it("a run interrupted mid-epoch or cut by time is only finished once its limit is used", () => {
    const s = { ...freshTrainerState(), epoch: 2, batchInEpoch: 5, step: 20, sinceBest: 4, elapsedSeconds: 30 };
    const c = { ...DEFAULTS, task: "seed" as const, patience: 4 };
    expect(finishedRun(s, c)).toBeNull(); // mid-epoch: patience is checked at epoch ends
    expect(finishedRun({ ...s, elapsedSeconds: 601 }, c)?.reason).toBe("time");
    expect(finishedRun({ ...s, elapsedSeconds: 601 }, { ...c, maxMinutes: 20 })).toBeNull();
  });
});
