import { noGrad } from "@heed/autograd";
import { Generator } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { MECHANISMS } from "../config.js";
import { UsageError } from "../errors.js";
import type { RunEvent } from "../reporter.js";
import { train } from "../train.js";
import { configOf, reload, trainSteps } from "../../test/tasks-testing.js";
import { FeatureAttentionModel, SequenceAttentionModel } from "./seed-model.js";
import { FEATURE_ATTENTION, seedTask } from "./seed.js";

describe("seed task", () => {
  it("defaults to the seed's feature-softmax model, 100 epochs, and prints no extra metrics", () => {
    expect(seedTask.defaults.epochs).toBe(100);
    expect(seedTask.defaults.attention).toBe(FEATURE_ATTENTION);
    const rt = seedTask.create(configOf(seedTask), new Generator(0));
    expect(rt.model).toBeInstanceOf(FeatureAttentionModel);
    expect(rt.model.numParameters()).toBe(8 * 8 + 8 + 8 + 1);
    expect(rt.formatMetrics({ mse: 0.5 })).toBe("");
    expect([rt.trainSize, rt.testSize]).toEqual([800, 100]);
  });

  it("the trainer prints exactly the seed's lines: `Epoch i/N, Loss: x, Test Loss: y`", async () => {
    const lines: string[] = [];
    const reporter = { emit: (e: RunEvent) => void (e.event === "epoch" && lines.push(e.line)), close: () => undefined };
    await train(seedTask, configOf(seedTask, { epochs: 3 }), { out: null, resume: null, reporter });
    expect(lines).toHaveLength(3);
    lines.forEach((line, i) => expect(line).toMatch(new RegExp(`^Epoch ${i + 1}/3, Loss: \\d+\\.\\d{4}, Test Loss: \\d+\\.\\d{4}$`)));
  });

  it("batches cover the training split once per epoch, in an order fixed by (seed, epoch)", () => {
    const rt = seedTask.create(configOf(seedTask, { batchSize: 64 }), new Generator(0));
    const sizes = rt.batches(1).map((b) => rt.batchSize(b));
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(800);
    const first = (e: number): number[] => Array.from((rt.batches(e)[0] as { x: { data: Float32Array } }).x.data.slice(0, 8));
    expect(first(1)).toEqual(first(1));
    expect(first(1)).not.toEqual(first(2));
  });

  it("learns the regression: test MSE falls from > 0.5 to < 0.1 in 600 steps (the noise floor is 0.01)", () => {
    const config = configOf(seedTask, { lr: 0.03 });
    const { rt, losses } = trainSteps(seedTask, config, 600);
    const ev = noGrad(() => rt.evaluate("test", 0));
    expect(losses[0]).toBeGreaterThan(0.5);
    expect(ev.loss).toBeLessThan(0.1);
    expect(ev.metrics.mse).toBe(ev.loss);
  });

  it("is deterministic: same seed, same losses after a few steps", () => {
    for (const attention of [FEATURE_ATTENTION, "multihead"] as const) {
      const config = configOf(seedTask, { attention: attention as never, dropout: 0.1 });
      expect(trainSteps(seedTask, config, 4).losses).toEqual(trainSteps(seedTask, config, 4).losses);
    }
  });

  it.each(MECHANISMS)("--attention %s mixes the features as F tokens and shows one panel per layer and head", (attention) => {
    const config = configOf(seedTask, { attention, dModel: 8, heads: 2, layers: 2 });
    const { rt, losses } = trainSteps(seedTask, config, 2);
    expect(rt.model).toBeInstanceOf(SequenceAttentionModel);
    expect(losses.every(Number.isFinite)).toBe(true);
    const maps = noGrad(() => rt.attention!("0.1 0.2 0.3 0.4 0.5 0.6 0.7 0.8"));
    const heads = attention === "dot" || attention === "scaled" ? 1 : 2;
    expect(maps.panels).toHaveLength(2 * heads);
    expect(maps.rows).toHaveLength(8);
    for (const row of maps.panels[0]!.weights) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });

  it("predicts from F numbers and reports the noise-free target; rejects other inputs", () => {
    const rt = seedTask.create(configOf(seedTask), new Generator(0));
    const [out] = noGrad(() => rt.predict(["1, 0, 0, 0, 0, 0, 0, 0"]));
    expect(out).toMatch(/^-?\d+\.\d{4} \(noise-free target -?\d+\.\d{4}\)$/);
    expect(() => rt.predict(["1 2 3"])).toThrow(UsageError);
    expect(() => rt.predict(["1 2 3 4 5 6 7 x"])).toThrow(/'x'/);
    const maps = noGrad(() => rt.attention!("1 2 3 4 5 6 7 8"));
    expect(maps.rows).toEqual(["weight"]);
    expect(maps.panels[0]!.weights[0]!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });

  it("rebuilds an identical model from vocab.json and the weights", () => {
    for (const attention of [FEATURE_ATTENTION, "residual"] as const) {
      const config = configOf(seedTask, { attention: attention as never, dModel: 8 });
      const { rt } = trainSteps(seedTask, config, 3);
      const again = reload(seedTask, config, rt);
      const input = ["0.5 -0.5 0.25 0 1 -1 0.1 0.9"];
      expect(noGrad(() => again.predict(input))).toEqual(noGrad(() => rt.predict(input)));
      expect(noGrad(() => again.evaluate("test", 0)).loss).toBe(noGrad(() => rt.evaluate("test", 0)).loss);
    }
  });
});
