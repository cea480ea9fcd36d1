import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { noGrad } from "@heed/autograd";
import { loadDigits } from "@heed/datasets/node";
import type { VisionTransformer } from "@heed/attention";
import { Generator } from "@heed/tensor-core";
import { afterAll, describe, expect, it } from "vitest";
import { UsageError } from "../errors.js";
import { digitToImage } from "../png-digit.js";
import { writePngAtomic } from "../png.js";
import { configOf, reload, trainSteps } from "../../test/tasks-testing.js";
import { cosineSchedule, digitsTask } from "./digits.js";

const tiny = configOf(digitsTask, { dModel: 16, heads: 2, layers: 1, ff: 32, batchSize: 32, lr: 3e-3, warmup: 0 });
const dir = mkdtempSync(join(tmpdir(), "heed-digits-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("digits task", () => {
  it("uses the fixed split: 5,994 training and 2,004 test digits; accuracy and a confusion matrix over all of them", () => {
    const rt = digitsTask.create(tiny, new Generator(1));
    expect([rt.trainSize, rt.testSize]).toEqual([5994, 2004]);
    const ev = noGrad(() => rt.evaluate("test", 0));
    expect(ev.metrics.digits).toBe(2004);
    const counts = ev.confusion!.counts;
    expect(counts.flat().reduce((a, b) => a + b, 0)).toBe(2004);
    // the split's class sizes: ceil(n / 5) test digits of each class
    expect(counts.map((row) => row.reduce((a, b) => a + b, 0))).toEqual([201, 226, 199, 207, 196, 173, 203, 214, 189, 196]);
    expect(ev.metrics.accuracy).toBeCloseTo(counts.reduce((s, row, i) => s + row[i]!, 0) / 2004, 12);
    expect(noGrad(() => rt.evaluate("test", 100)).confusion!.counts.flat().reduce((a, b) => a + b, 0)).toBe(100);
    expect(rt.formatMetrics({ accuracy: 0.97304 })).toBe("Accuracy: 97.30%");
    expect(() => digitsTask.create({ ...tiny, attention: "dot" }, new Generator(1))).toThrow(new UsageError("digits: the Vision Transformer uses multi-head self-attention; --attention must be multihead, got 'dot'"));
  });

  it("learns: 60 steps of a tiny ViT lift test accuracy well above chance (10%), deterministically", () => {
    const a = trainSteps(digitsTask, tiny, 60);
    const acc = noGrad(() => a.rt.evaluate("test", 0)).metrics.accuracy!;
    expect(acc).toBeGreaterThan(0.2);
    expect(a.losses.slice(-10).reduce((x, y) => x + y, 0) / 10).toBeLessThan(a.losses[0]! - 0.1);
    expect(trainSteps(digitsTask, tiny, 3).losses).toEqual(a.losses.slice(0, 3));
  });

  it("predicts test:N and PNG files as digit<TAB>probability; the same from a reloaded checkpoint", () => {
    const { rt } = trainSteps(digitsTask, tiny, 30);
    const test = loadDigits().test;
    const path = join(dir, "five.png"); // test digit 5 as an 8-bit PNG, white on black
    writePngAtomic(path, digitToImage(test.images.data.subarray(5 * 784, 6 * 784)));
    const out = noGrad(() => rt.predict(["test:5", path]));
    for (const line of out) expect(line).toMatch(/^\d\t(0|1)\.\d{4}$/);
    expect(out[1]!.split("\t")[0]).toBe(out[0]!.split("\t")[0]);
    expect(Number(out[1]!.split("\t")[1])).toBeCloseTo(Number(out[0]!.split("\t")[1]), 2);
    const again = reload(digitsTask, tiny, rt);
    expect(noGrad(() => again.predict(["test:5", path]))).toEqual(out);
    expect(() => rt.predict(["test:2004"])).toThrow(new UsageError("digits: test:2004 is out of range (the test split has 2004 digits, test:0 … test:2003)"));
    expect(() => rt.predict(["five.jpg"])).toThrow(new UsageError("digits: expected a .png image file or test:N, got 'five.jpg'"));
  });

  it("attention: the class token's rollout over the 4×4 patches, spread over the digit's pixels", () => {
    const rt = digitsTask.create(tiny, new Generator(1));
    const maps = noGrad(() => rt.attention!("test:3"));
    expect(maps.panels).toHaveLength(2);
    expect([maps.rows.length, maps.cols.length]).toEqual([14, 28]);
    const { heat, pixels } = maps.image!;
    expect([heat.length, pixels.length]).toEqual([784, 784]);
    // one value per 7×7 patch; the 16 patches' shares plus the class token's own add up to 1
    expect(heat[0]).toBe(heat[6 * 28 + 6]);
    const patchSum = Array.from({ length: 16 }, (_, p) => heat[Math.floor(p / 4) * 7 * 28 + (p % 4) * 7]!).reduce((a, b) => a + b, 0);
    expect(patchSum).toBeGreaterThan(0);
    expect(patchSum).toBeLessThan(1);
  });

  it("--recipe long: 4×4 patches (a 7×7 grid of 49 tokens), kept in the checkpoint's vocab", () => {
    const rt = digitsTask.create({ ...tiny, recipe: "long" }, new Generator(1));
    expect(rt.vocab()).toEqual({ patchSize: 4, imageSize: 28 });
    expect((rt.model as VisionTransformer).grid).toEqual([7, 7]);
    expect(digitsTask.create(tiny, new Generator(1)).vocab()).toEqual({ patchSize: 7, imageSize: 28 });
    // a checkpoint's own patch size wins over the config's recipe
    expect(digitsTask.create({ ...tiny, recipe: "long" }, new Generator(1), { patchSize: 7, imageSize: 28 }).vocab()).toEqual({ patchSize: 7, imageSize: 28 });
    expect(noGrad(() => rt.attention!("test:3")).image!.heat).toHaveLength(784);
  });

  it("the schedule warms up linearly, then decays along a cosine to 0 at the last step", () => {
    const lr = cosineSchedule({ ...tiny, lr: 1e-3, warmup: 10, epochs: 2, maxSteps: 0 }, 50);
    expect([lr(5), lr(10)]).toEqual([5e-4, 1e-3]);
    expect(lr(55)).toBeCloseTo(5e-4, 12);
    expect(lr(100)).toBeCloseTo(0, 12);
    expect(cosineSchedule({ ...tiny, lr: 1e-3, warmup: 0, epochs: 2, maxSteps: 20 }, 50)(20)).toBeCloseTo(0, 12);
  });
});
