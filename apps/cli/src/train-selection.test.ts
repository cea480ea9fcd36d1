import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Linear, mseLoss } from "@heed/nn";
import { tensor, type Generator } from "@heed/tensor-core";
import { afterEach, describe, expect, it } from "vitest";
import type { RunEvent } from "./reporter.js";
import type { EvaluateOptions, Evaluation, TaskDefinition, TaskRuntime } from "./task.js";
import { train } from "./train.js";

const SEED_DEFAULTS = { epochs: 4, batchSize: 2, lr: 1e-3, seed: 1, dModel: 4, heads: 1, layers: 1, ff: 4, dropout: 0, maxMinutes: 1, maxSteps: 0, warmup: 0, labelSmoothing: 0, attention: "feature" as const, evalSize: 0, beam: 1, locales: ["en", "zh"] as [string, string] };

/**
 * A task whose evaluation losses are scripted per epoch: the test split's losses are best at
 * the last epoch, the validation split's at epoch 2. Every call is logged.
 */
function scriptedTask(valid: number[], test: number[], calls: string[], selection = { metric: "validLoss", higherIsBetter: false }): TaskDefinition {
  const create = (_config: unknown, rng: Generator): TaskRuntime => {
    const model = new Linear(1, 1, { rng });
    const epoch = { valid: 0, test: 0 };
    return {
      model,
      trainSize: 2,
      testSize: 2,
      batches: () => [[0, 1]],
      batchSize: () => 2,
      loss: () => mseLoss(model.forward(tensor([[1], [2]])), tensor([[0], [1]])),
      evaluate(split: "valid" | "test", _limit: number, options: EvaluateOptions = {}): Evaluation {
        calls.push(`${split}${options.lossOnly === true ? " lossOnly" : ""}`);
        const loss = (split === "valid" ? valid : test)[epoch[split]++]!;
        const metrics: Record<string, number> = options.lossOnly === true ? {} : { score: -loss };
        return { loss, metrics };
      },
      formatMetrics: () => "",
      selection,
      predict: (inputs) => inputs,
      vocab: () => ({}),
    };
  };
  return { name: "seed", description: "scripted evaluation losses", defaults: SEED_DEFAULTS, create };
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("checkpoint selection", () => {
  it("picks `best` by the validation loss only; the test split never decides (it is only reported)", async () => {
    const calls: string[] = [];
    const def = scriptedTask([3, 1, 2, 4], [9, 8, 7, 0], calls);
    const out = mkdtempSync(join(tmpdir(), "heed-select-"));
    dirs.push(out);
    const events: RunEvent[] = [];
    await train(def, { ...SEED_DEFAULTS, task: "seed" }, { out, resume: null, reporter: { emit: (e) => events.push(e), close: () => {} } });
    const best = JSON.parse(readFileSync(join(out, "best", "trainer.json"), "utf8")) as { epoch: number; best: number };
    expect(best.epoch).toBe(2); // lowest validation loss (1), although the test loss is lowest at epoch 4
    expect(best.best).toBe(1);
    // the validation pass is a loss-only pass, and each epoch evaluates each split once
    expect(calls.filter((c) => c.startsWith("valid"))).toEqual(Array(4).fill("valid lossOnly"));
    expect(calls.filter((c) => c.startsWith("test"))).toHaveLength(4);
    expect(events.filter((e) => e.event === "checkpoint" && e.kind === "best")).toHaveLength(2); // epochs 1 and 2
  });

  const run = async (def: TaskDefinition, patience?: number) => {
    const out = mkdtempSync(join(tmpdir(), "heed-select-"));
    dirs.push(out);
    const events: RunEvent[] = [];
    const result = await train(def, { ...SEED_DEFAULTS, epochs: 6, task: "seed", ...(patience === undefined ? {} : { patience }) }, { out, resume: null, reporter: { emit: (e) => events.push(e), close: () => {} } });
    const best = JSON.parse(readFileSync(join(out, "best", "trainer.json"), "utf8")) as { epoch: number; best: number; sinceBest: number };
    const history = readFileSync(join(out, "metrics.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { epoch: number; validScore?: number });
    return { result, best, history, events };
  };

  it("--patience N stops after N evaluations without a better validation loss, however the test split goes", async () => {
    const calls: string[] = [];
    // validation best at epoch 2; the test loss keeps falling and the validation loss would drop again at epoch 6
    const { result, best, history, events } = await run(scriptedTask([3, 1, 2, 4, 5, 0], [9, 8, 7, 6, 5, 0], calls), 2);
    expect(result.stopped).toBe("patience");
    expect(history.map((r) => r.epoch)).toEqual([1, 2, 3, 4]);
    expect(best.epoch).toBe(2);
    expect(events.at(-1)).toMatchObject({ event: "done", stopped: "patience" });
    expect(calls.filter((c) => c.startsWith("valid"))).toEqual(Array(4).fill("valid lossOnly"));
    // the same script with the test losses reversed stops at the same epoch: the test split decides nothing
    const mirrored = await run(scriptedTask([3, 1, 2, 4, 5, 0], [0, 5, 6, 7, 8, 9], []), 2);
    expect(mirrored.history.map((r) => r.epoch)).toEqual([1, 2, 3, 4]);
    // without --patience (or with 0) every epoch runs and the last one is the best
    for (const p of [undefined, 0]) {
      const all = await run(scriptedTask([3, 1, 2, 4, 5, 0], [9, 8, 7, 6, 5, 0], []), p);
      expect([all.result.stopped, all.history.length, all.best.epoch]).toEqual(["epochs", 6, 6]);
    }
  });

  it("selects and stops by the task's own validation metric, higher is better when the task says so", async () => {
    const calls: string[] = [];
    // score = −loss: validation scores −3, −1, −2, −4, … → best at epoch 2
    const { result, best, history } = await run(scriptedTask([3, 1, 2, 4, 5, 0], [9, 8, 7, 6, 5, 0], calls, { metric: "score", higherIsBetter: true }), 1);
    expect(result.stopped).toBe("patience");
    expect([best.epoch, best.best]).toEqual([2, -1]);
    expect(history.map((r) => r.validScore)).toEqual([-3, -1, -2]);
    expect(calls.filter((c) => c.startsWith("valid"))).toEqual(Array(3).fill("valid"));
    const missing = scriptedTask([1], [1], [], { metric: "accuracy", higherIsBetter: true });
    await expect(run(missing)).rejects.toThrow("selection metric 'accuracy' is not among its validation metrics (score)");
  });
});
