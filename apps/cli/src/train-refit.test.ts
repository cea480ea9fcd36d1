import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Linear, mseLoss } from "@heed/nn";
import { tensor, type Generator } from "@heed/tensor-core";
import { afterEach, describe, expect, it } from "vitest";
import type { TrainConfig } from "./config.js";
import type { RunEvent } from "./reporter.js";
import type { EvaluateOptions, Evaluation, TaskDefinition, TaskRuntime, TrainData } from "./task.js";
import { train } from "./train.js";
import { bestEpoch } from "./train-refit.js";

const DEFAULTS = { epochs: 6, batchSize: 2, lr: 1e-2, seed: 1, dModel: 4, heads: 1, layers: 1, ff: 4, dropout: 0, maxMinutes: 10, maxSteps: 0, warmup: 0, labelSmoothing: 0, attention: "feature" as const, evalSize: 0, beam: 1, locales: ["en", "zh"] as [string, string], patience: 2 };

/** What one phase's runtime did: the examples it trained on and the splits it evaluated. */
interface PhaseLog {
  data: TrainData;
  trained: Set<string>;
  evaluated: string[];
}

/**
 * A task with two training examples (t0, t1) and two validation examples (v0, v1), each a (x, y)
 * pair the model fits; its evaluation losses are scripted per epoch (validation best at epoch
 * 2). Each runtime it creates (phase 1, phase 2) is logged.
 */
function scriptedTask(valid: number[], test: number[], phases: PhaseLog[]): TaskDefinition {
  const examples: Record<string, [number, number]> = { t0: [1, 0], t1: [2, 1], v0: [3, 2], v1: [4, 2.5] };
  const create = (_config: unknown, rng: Generator, _vocab?: unknown, data: TrainData = {}): TaskRuntime => {
    const model = new Linear(1, 1, { rng });
    const log: PhaseLog = { data, trained: new Set(), evaluated: [] };
    phases.push(log);
    const names = data.withValid === true ? ["t0", "t1", "v0", "v1"] : ["t0", "t1"];
    const epoch = { valid: 0, test: 0 };
    return {
      model,
      trainSize: names.length,
      testSize: 2,
      batches: () => [names],
      batchSize: (b) => (b as string[]).length,
      loss(batch) {
        const b = batch as string[];
        b.forEach((n) => log.trained.add(n));
        return mseLoss(model.forward(tensor(b.map((n) => [examples[n]![0]]))), tensor(b.map((n) => [examples[n]![1]])));
      },
      evaluate(split: "valid" | "test", _limit: number, options: EvaluateOptions = {}): Evaluation {
        log.evaluated.push(split);
        const loss = (split === "valid" ? valid : test)[epoch[split]++] ?? 0;
        return { loss, metrics: options.lossOnly === true ? {} : { score: -loss } };
      },
      formatMetrics: () => "",
      selection: { metric: "validLoss", higherIsBetter: false },
      predict: (inputs) => inputs,
      vocab: () => ({ trainedOn: names }),
    };
  };
  return { name: "seed", description: "scripted", defaults: DEFAULTS, refit: true, create };
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function run(def: TaskDefinition, config: Partial<TrainConfig> = {}) {
  const out = mkdtempSync(join(tmpdir(), "heed-refit-"));
  dirs.push(out);
  const events: RunEvent[] = [];
  const result = await train(def, { ...DEFAULTS, task: "seed", refit: true, ...config }, { out, resume: null, reporter: { emit: (e) => events.push(e), close: () => {} } });
  const json = (p: string) => JSON.parse(readFileSync(join(out, p), "utf8")) as Record<string, unknown>;
  return { out, result, events, json };
}

describe("--refit on", () => {
  it("phase 2 trains a fresh model on training + validation for phase 1's best epoch count; best/ holds it", async () => {
    const phases: PhaseLog[] = [];
    // validation best at epoch 2, patience 2 stops phase 1 at epoch 4; the test loss is best at the end
    const { result, events, json, out } = await run(scriptedTask([3, 1, 2, 4, 5, 6], [9, 8, 7, 6, 5, 0], phases));
    expect(phases).toHaveLength(2);
    const [one, two] = phases as [PhaseLog, PhaseLog];
    expect([...one.trained].sort()).toEqual(["t0", "t1"]); // phase 1: the training split only
    expect(one.data).toEqual({});
    expect(two.data).toEqual({ withValid: true });
    expect([...two.trained].sort()).toEqual(["t0", "t1", "v0", "v1"]); // phase 2 saw the validation split
    expect(two.evaluated).toEqual(["test", "test"]); // two epochs, each reported on the test split; no validation pass
    expect(result).toMatchObject({ stopped: "patience", refit: { epochs: 2, examples: 4, stopped: "epochs" } });
    expect(json("valid-best/trainer.json").epoch).toBe(2); // phase 1's best/
    expect(json("best/vocab.json")).toEqual({ trainedOn: ["t0", "t1", "v0", "v1"] }); // phase 2's model
    expect(json("best/trainer.json")).toMatchObject({ step: 2 });
    expect(json("best/config.json")).toMatchObject({ epochs: 2, patience: 0, refit: true });
    expect(json("last/vocab.json")).toEqual({ trainedOn: ["t0", "t1"] }); // last/ is phase 1's, for --resume
    expect(existsSync(join(out, "refit", "last"))).toBe(true);
    const lines = events.flatMap((e) => (e.event === "epoch" ? [e.line] : e.event === "message" ? [e.text] : []));
    expect(lines.filter((l) => l.startsWith("Refit epoch"))).toHaveLength(2);
    expect(lines).toContain("refit: a fresh model on the training + validation splits (4 examples) for 2 epochs, phase 1's best");
    expect(events.filter((e) => e.event === "done")).toEqual([expect.objectContaining({ stopped: "patience", refit: { epochs: 2, examples: 4 } })]);
  });

  it("the test split decides nothing: reversed test losses give the same phase 2 and the same best/ weights", async () => {
    const a = await run(scriptedTask([3, 1, 2, 4, 5, 6], [9, 8, 7, 6, 5, 0], []));
    const b = await run(scriptedTask([3, 1, 2, 4, 5, 6], [0, 5, 6, 7, 8, 9], []));
    expect(b.result.refit?.epochs).toBe(2);
    const weights = (o: string) => readFileSync(join(o, "best", "model.safetensors"));
    expect(weights(b.out).equals(weights(a.out))).toBe(true);
    // and another validation script moves it: best at epoch 3 → three epochs
    const c = await run(scriptedTask([3, 2, 1, 4, 5, 6], [9, 8, 7, 6, 5, 0], []));
    expect(c.result.refit?.epochs).toBe(3);
    expect(weights(c.out).equals(weights(a.out))).toBe(false);
  });

  it("gives phase 2 phase 1's best/ when the task keeps it (refitKeepsPhase1), and nothing otherwise", async () => {
    const phases: PhaseLog[] = [];
    const def = { ...scriptedTask([3, 1, 2, 4, 5, 6], [9, 8, 7, 6, 5, 0], phases), refitKeepsPhase1: true };
    const { json, events } = await run(def);
    expect(events).toContainEqual(expect.objectContaining({ text: "refit: a fresh model on the training + validation splits (4 examples) for 2 epochs, phase 1's best; phase 1's model stays in it, untrained" }));
    const two = phases[1]!.data;
    expect(two.withValid).toBe(true);
    expect(two.phase1?.vocab).toEqual({ trainedOn: ["t0", "t1"] }); // phase 1's best/, read before it moves to valid-best/
    expect([...two.phase1!.model.keys()].sort()).toEqual(["bias", "weight"]);
    expect(json("valid-best/trainer.json").epoch).toBe(2);
  });

  it("is off by default and for --refit off: best/ is phase 1's", async () => {
    const phases: PhaseLog[] = [];
    const { result, json, out } = await run(scriptedTask([3, 1, 2, 4, 5, 6], [9, 8, 7, 6, 5, 0], phases), { refit: false });
    expect([phases.length, result.refit]).toEqual([1, null]);
    expect(json("best/trainer.json").epoch).toBe(2);
    expect(existsSync(join(out, "valid-best"))).toBe(false);
  });

  it("a task that cannot train on its validation split rejects it", async () => {
    const def = { ...scriptedTask([1], [1], []), refit: undefined };
    await expect(run(def)).rejects.toThrow(/^train: --refit on needs a task that can train on its validation split \(classify, forecast\); 'seed' cannot$/);
  });

  it("bestEpoch reads the validation records (the first best), as the trainer picks", () => {
    const rec = (epoch: number, validLoss: number, validScore?: number) => ({ epoch, step: epoch, loss: 0, testLoss: 100 - epoch, validLoss, ...(validScore === undefined ? {} : { validScore }), metrics: {}, seconds: 0 });
    expect(bestEpoch([rec(1, 3), rec(2, 1), rec(3, 1), rec(4, 2)], { metric: "validLoss", higherIsBetter: false })).toBe(2);
    expect(bestEpoch([rec(1, 3, 10), rec(2, 1, 30), rec(3, 1, 31)], { metric: "chrf", higherIsBetter: true })).toBe(3);
  });
});
