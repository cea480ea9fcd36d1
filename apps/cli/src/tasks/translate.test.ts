import type { Seq2SeqTransformer } from "@heed/attention";
import { noGrad } from "@heed/autograd";
import { loadEmojiPairs } from "@heed/datasets/node";
import { Generator } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { UsageError } from "../errors.js";
import { configOf, reload, trainSteps } from "../../test/tasks-testing.js";
import { chrf } from "./common-chrf.js";
import { NearestPhrase } from "./common-nearest.js";
import { lcsLength, translationMetrics } from "./translate-metrics.js";
import { sourceTokenizer } from "./translate-source.js";
import { translateTask } from "./translate.js";

const tiny = configOf(translateTask, { dModel: 16, heads: 2, layers: 1, ff: 32, batchSize: 16, warmup: 0 });

describe("translation metrics", () => {
  it("lcsLength", () => {
    expect(lcsLength([..."abcde"], [..."ace"])).toBe(3);
    expect(lcsLength([], [..."ab"])).toBe(0);
  });

  it("exact match, LCS character accuracy, CER, chrF and character BLEU-4", () => {
    const m = translationMetrics([{ hyp: "红心", ref: "红心" }, { hyp: "红苹果果", ref: "红苹果" }, { hyp: "", ref: "猫" }]);
    expect(m.exact).toBeCloseTo(1 / 3, 10);
    expect(m.charAccuracy).toBeCloseTo((2 + 3 + 0) / (2 + 4 + 1), 10);
    expect(m.cer).toBeCloseTo((0 + 1 + 1) / 6, 10);
    expect(m.phrases).toBe(3);
    expect(translationMetrics([{ hyp: "红心", ref: "红心" }]).charBleu4).toBeCloseTo(1, 10);
    expect(translationMetrics([{ hyp: "红心", ref: "红色的心" }]).chrf).toBeCloseTo((100 * 5) / 18, 10);
  });
});

describe("translate task", () => {
  it("trains on en → zh pairs; batches depend only on (seed, epoch)", () => {
    const rt = translateTask.create(tiny, new Generator(1));
    expect(rt.trainSize).toBeGreaterThan(1700);
    expect(rt.testSize).toBeGreaterThan(90);
    expect(rt.batches(3)).toEqual(translateTask.create(tiny, new Generator(1)).batches(3));
    expect(rt.batches(3)).not.toEqual(rt.batches(4));
    expect((rt.batches(1) as number[][]).flat().sort((a, b) => a - b)).toEqual(Array.from({ length: rt.trainSize }, (_, i) => i));
  });

  it("evaluates the loss on the whole split and the metrics on `limit` greedy translations", () => {
    const { rt, losses } = trainSteps(translateTask, tiny, 2);
    expect(losses.every(Number.isFinite)).toBe(true);
    const ev = noGrad(() => rt.evaluate("test", 5));
    expect(ev.metrics.phrases).toBe(5);
    expect(ev.loss).toBeGreaterThan(0);
    const lossOnly = noGrad(() => rt.evaluate("valid", 0, { lossOnly: true }));
    expect(lossOnly.metrics).toEqual({}); // nothing decoded: the trainer's checkpoint selection
    expect(lossOnly.loss).toBe(noGrad(() => rt.evaluate("valid", 1)).loss);
    expect(noGrad(() => rt.evaluate("valid", 1)).metrics.phrases).toBe(1); // limit 1 is one phrase, no longer "loss only"
    // the nearest-training-phrase baseline, recomputed from the raw splits on the same phrases
    const data = loadEmojiPairs("en", "zh");
    const nn = new NearestPhrase(data.train.map((p) => p.source));
    const refs = data.test.map((p) => p.target);
    const near = data.test.map((p) => data.train[nn.nearest(p.source)]!.target);
    const full = noGrad(() => rt.evaluate("test", 0)).metrics;
    expect(full.phrases).toBe(data.test.length);
    expect(full.nearestChrf).toBeCloseTo(chrf(near, refs), 10);
    expect(full.nearestExact).toBe(near.filter((h, i) => h === refs[i]).length / refs.length);
    expect(rt.formatMetrics({ exact: 0.1, charAccuracy: 0.5, cer: 0.7, chrf: 30.26, charBleu4: 0.2, nearestChrf: 20.44, nearestExact: 0 })).toBe("chrF: 30.3, Exact: 10.0% (nearest training phrase: chrF 20.4, exact 0.0%), Char accuracy: 50.0%, char-BLEU-4: 20.0");
  });

  it("learns: 60 steps lower the test loss", () => {
    const untrained = trainSteps(translateTask, tiny, 0).rt;
    const trained = trainSteps(translateTask, { ...tiny, lr: 5e-3 }, 60).rt;
    const before = noGrad(() => untrained.evaluate("test", 1)).loss;
    const after = noGrad(() => trained.evaluate("test", 1)).loss;
    expect(after).toBeLessThan(before - 1);
  });

  it("is deterministic and rebuilds an identical model from vocab.json", () => {
    const a = trainSteps(translateTask, tiny, 3);
    expect(trainSteps(translateTask, tiny, 3).losses).toEqual(a.losses);
    const again = reload(translateTask, tiny, a.rt);
    const inputs = ["red heart", "grinning cat"];
    expect(noGrad(() => again.predict(inputs))).toEqual(noGrad(() => a.rt.predict(inputs)));
    expect(noGrad(() => again.evaluate("test", 1)).loss).toBe(noGrad(() => a.rt.evaluate("test", 1)).loss);
  });

  it("shows cross-attention: a row per output character, a column per source token, a panel per head", () => {
    const rt = translateTask.create(tiny, new Generator(1));
    rt.model.eval();
    const maps = noGrad(() => rt.attention!("Red zxqv heart"));
    expect(maps.cols).toEqual(["red", "#z", "#x", "#q", "#v", "</w>", "heart"]); // a word never seen in training is spelled out
    expect(maps.panels).toHaveLength(2);
    for (const p of maps.panels) {
      expect(p.weights).toHaveLength(maps.rows.length);
      for (const row of p.weights) expect(row.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 5);
    }
  });

  it("reads checkpoints written before the spelled source (vocab.json without sourceUnits) word by word", () => {
    const data = loadEmojiPairs("en", "zh");
    const words = sourceTokenizer(data.train.map((p) => p.source), "words");
    const { sourceUnits, ...vocab } = translateTask.create(tiny, new Generator(1)).vocab() as Record<string, unknown>;
    expect(sourceUnits).toBe("spelled");
    const old = translateTask.create(tiny, new Generator(1), { ...vocab, source: words.toJSON() });
    expect((old.model as Seq2SeqTransformer).srcEmbed.weight.shape[0]).toBe(words.size); // the source embedding has the word vocabulary's rows
    expect(noGrad(() => old.attention!("Red zxqv heart")).cols).toEqual(["red", "zxqv?", "heart"]);
    // and keeps the trainer's warm-up + inverse square root, so that --resume goes on as before
    const resumed = translateTask.create({ ...tiny, lr: 1e-3, warmup: 50 }, new Generator(1), { ...vocab, source: words.toJSON() });
    expect(resumed.learningRate!(200)).toBeCloseTo(5e-4, 12);
  });

  it("decays the learning rate from --lr after the warm-up to 0 at the last step (cosine)", () => {
    const rt = translateTask.create({ ...tiny, lr: 1e-3, warmup: 10, epochs: 2 }, new Generator(1));
    const total = 2 * rt.batches(1).length;
    expect(rt.learningRate!(5)).toBeCloseTo(5e-4, 12);
    expect(rt.learningRate!(10)).toBeCloseTo(1e-3, 12);
    expect(rt.learningRate!(total)).toBeCloseTo(0, 12);
    expect(rt.learningRate!(10 + (total - 10) / 2)).toBeCloseTo(5e-4, 12);
  });

  it("refuses other attention kinds, equal locales and empty or over-long inputs", () => {
    expect(() => translateTask.create({ ...tiny, attention: "dot" }, new Generator(1))).toThrow(UsageError);
    expect(() => translateTask.create({ ...tiny, locales: ["en", "en"] }, new Generator(1))).toThrow(/both 'en'/);
    expect(() => translateTask.create({ ...tiny, locales: ["en", "xx"] }, new Generator(1))).toThrow(UsageError);
    const rt = translateTask.create(tiny, new Generator(1));
    expect(() => rt.predict([""])).toThrow(UsageError);
    expect(() => rt.predict(["a".repeat(65)])).toThrow(/65 characters/);
  });
});
