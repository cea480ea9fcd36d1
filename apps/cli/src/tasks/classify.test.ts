import { noGrad } from "@heed/autograd";
import { loadEmojiClassification } from "@heed/datasets/node";
import { Generator } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { MECHANISMS } from "../config.js";
import { UsageError } from "../errors.js";
import { classifyTask, trainingPhrases } from "./classify.js";
import { NearestPhrase } from "./common-nearest.js";
import { words } from "./common-seq.js";
import { configOf, reload, trainSteps } from "../../test/tasks-testing.js";

const tiny = configOf(classifyTask, { dModel: 16, heads: 2, batchSize: 32 });

describe("words", () => {
  it("lower-cases and splits words from punctuation", () => {
    expect(words("Flag: United States")).toEqual(["flag", ":", "united", "states"]);
    expect(words("woman technologist: medium-dark skin tone")).toEqual(["woman", "technologist", ":", "medium", "-", "dark", "skin", "tone"]);
    expect(words("   ")).toEqual([]);
    expect(words("红心 Ü-Bahn")).toEqual(["红", "心", "ü", "-", "bahn"]);
    expect(words("keycap: #")).toEqual(["keycap", ":", "#"]);
    expect(words("नमस्ते दुनिया")).toEqual(["नमस्ते", "दुनिया"]); // combining vowel signs stay inside the word
  });
});

describe("trainingPhrases (--refit and the hold-out check)", () => {
  const train = ["a", "b", "c", "d", "e"];
  it("is the training split, + the validation split with withValid, − a seeded random slice with holdOut", () => {
    expect(trainingPhrases(train, ["v", "w"], {}, 1)).toEqual(train);
    expect(trainingPhrases(train, ["v", "w"], { withValid: true }, 1)).toEqual([...train, "v", "w"]);
    const kept = trainingPhrases(train, ["v"], { holdOut: 2 }, 1);
    expect(kept).toHaveLength(3);
    expect(kept.every((p) => train.includes(p))).toBe(true);
    expect(kept).toEqual(train.filter((p) => kept.includes(p))); // in their order
    expect(trainingPhrases(train, ["v"], { holdOut: 2 }, 1)).toEqual(kept); // a pure function of the seed
    const bySeed = new Set([1, 2, 3, 4, 5, 6].map((s) => trainingPhrases(train, [], { holdOut: 2 }, s).join("")));
    expect(bySeed.size).toBeGreaterThan(1);
    expect(() => trainingPhrases(train, ["v"], { withValid: true, holdOut: 1 }, 1)).toThrow("classify: the training data takes withValid or holdOut, not both");
    expect(() => trainingPhrases(train, ["v"], { holdOut: 5 }, 1)).toThrow("heldOutSlice: expected an integer count from 0 to 4 (the training examples minus one), got 5");
  });

  it("the runtime trains on what it is given; its validation and test splits stay as they are", () => {
    const data = loadEmojiClassification("en");
    const refit = classifyTask.create(tiny, new Generator(1), undefined, { withValid: true });
    expect(refit.trainSize).toBe(data.train.length + data.valid.length);
    expect(refit.batches(1).flat().sort((a, b) => (a as number) - (b as number))).toEqual(Array.from({ length: refit.trainSize }, (_, i) => i));
    const held = classifyTask.create(tiny, new Generator(1), undefined, { holdOut: data.valid.length });
    expect(held.trainSize).toBe(data.train.length - data.valid.length);
    for (const rt of [refit, held]) expect([noGrad(() => rt.evaluate("valid", 0)).metrics.phrases, rt.testSize]).toEqual([data.valid.length, data.test.length]);
  });
});

describe("classify task", () => {
  it("reports accuracy, macro-F1 and the confusion next to the nearest-training-phrase baseline", () => {
    const rt = classifyTask.create(tiny, new Generator(1));
    const data = loadEmojiClassification("en");
    expect([rt.trainSize, rt.testSize]).toEqual([data.train.length, data.test.length]);
    const ev = noGrad(() => rt.evaluate("test", 0));
    // the baseline, recomputed from the raw splits: the group of the training phrase with the highest chrF
    const nn = new NearestPhrase(data.train.map((p) => p.text));
    const right = data.test.filter((p) => data.train[nn.nearest(p.text)]!.group === p.group).length;
    expect(ev.metrics.nearestAccuracy).toBeCloseTo(right / data.test.length, 12);
    expect(ev.metrics.nearestAccuracy).toBeCloseTo(60 / 95, 12); // 63.2 % on emojibase-data 17
    expect(ev.metrics.phrases).toBe(data.test.length);
    expect(ev.confusion!.labels).toEqual(data.groupNames);
    expect(ev.confusion!.counts.flat().reduce((a, b) => a + b, 0)).toBe(data.test.length);
    expect(ev.confusion!.counts.reduce((right, row, i) => right + row[i]!, 0)).toBe(Math.round(ev.metrics.accuracy! * data.test.length));
    expect(noGrad(() => rt.evaluate("test", 20)).metrics.phrases).toBe(20);
    expect(rt.formatMetrics({ accuracy: 0.625, macroF1: 0.5, nearestAccuracy: 0.2, nearestMacroF1: 0.1 })).toBe("Accuracy: 62.5%, macro-F1: 50.0% (nearest training phrase: 20.0%, 10.0%)");
  });

  it("learns: 120 steps lift test accuracy well above the majority class", () => {
    const { rt } = trainSteps(classifyTask, { ...tiny, lr: 5e-3, dropout: 0.1 }, 120);
    const data = loadEmojiClassification("en");
    const counts = new Map<number, number>();
    for (const p of data.train) counts.set(p.group, (counts.get(p.group) ?? 0) + 1);
    const majority = [...counts].sort((a, b) => b[1] - a[1])[0]![0];
    const share = data.test.filter((p) => p.group === majority).length / data.test.length;
    const ev = noGrad(() => rt.evaluate("test", 0));
    expect(ev.metrics.accuracy).toBeGreaterThan(share + 0.2);
  });

  it("gives words never seen in training a vector from their character n-grams", () => {
    const rt = classifyTask.create(tiny, new Generator(1));
    rt.model.eval();
    // both are <unk> for the word vocabulary, so only the n-grams can tell them apart
    const [a, b] = noGrad(() => rt.predict(["zxqvhearts", "qqqqpizzas"]));
    const again = noGrad(() => rt.predict(["zxqvhearts"]))[0];
    expect(again).toBe(a);
    expect(a).not.toBe(b);
  });

  it.each(MECHANISMS)("--attention %s trains deterministically and shows its maps", (attention) => {
    const config = { ...tiny, attention };
    const a = trainSteps(classifyTask, config, 2);
    expect(trainSteps(classifyTask, config, 2).losses).toEqual(a.losses);
    const maps = noGrad(() => a.rt.attention!("grinning cat face"));
    expect(maps.rows).toEqual(["grinning", "cat", "face"]);
    const heads = attention === "dot" || attention === "scaled" ? 1 : 2;
    expect(maps.panels).toHaveLength(heads + 1);
    const pool = maps.panels.at(-1)!.weights;
    expect(pool[0]![0]! + pool[1]![1]! + pool[2]![2]!).toBeCloseTo(1, 5);
  });

  it("predicts a group name with its probability, marks unknown words, refuses empty input", () => {
    const rt = classifyTask.create(tiny, new Generator(1));
    const [out] = noGrad(() => rt.predict(["red heart"]));
    expect(out).toMatch(/^[a-z-]+ \(\d+\.\d%\)$/);
    expect(noGrad(() => rt.attention!("zxqv heart")).rows).toEqual(["zxqv?", "heart"]);
    expect(() => rt.predict([" "])).toThrow(UsageError);
    const long = Array.from({ length: 33 }, () => "heart").join(" "); // words past the 32nd used to be dropped silently
    expect(() => rt.predict([long])).toThrow(new UsageError(`classify: '${long.slice(0, 40)}…' (${long.length} characters) has 33 words and marks, more than the 32 the model reads`));
    expect(() => rt.predict([Array.from({ length: 32 }, () => "heart").join(" ")])).not.toThrow();
  });

  it("rebuilds an identical model from vocab.json", () => {
    const { rt } = trainSteps(classifyTask, tiny, 3);
    const again = reload(classifyTask, tiny, rt);
    const inputs = ["red heart", "flag: France", "pizza"];
    expect(noGrad(() => again.predict(inputs))).toEqual(noGrad(() => rt.predict(inputs)));
    expect(noGrad(() => again.evaluate("test", 0))).toEqual(noGrad(() => rt.evaluate("test", 0)));
  });
});
