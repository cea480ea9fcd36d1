import { noGrad } from "@heed/autograd";
import { describe, expect, it } from "vitest";
import { configOf, reload, trainSteps } from "../../test/tasks-testing.js";
import { UsageError } from "../errors.js";
import { translateTask } from "./translate.js";
import { loadEmojiPairs } from "@heed/datasets/node";

const tiny = configOf(translateTask, { dModel: 16, heads: 2, layers: 1, ff: 32, batchSize: 16, warmup: 0, lr: 5e-3 });
const mbr = { samples: 4, neighbours: 2, epsilon: 0 };

describe("translate with MBR decoding", () => {
  const { rt } = trainSteps(translateTask, tiny, 20);
  const inputs = ["red heart", "flag: Armenia"];

  it("gives the same translations for the same checkpoint and phrases, alone or together, and after a reload", () => {
    const greedy = noGrad(() => rt.predict(inputs));
    rt.setMbr!(mbr);
    const out = noGrad(() => rt.predict(inputs));
    expect(noGrad(() => rt.predict(inputs))).toEqual(out);
    expect(noGrad(() => rt.predict([inputs[1]!]))).toEqual([out[1]]);
    const again = reload(translateTask, tiny, rt);
    again.setMbr!(mbr);
    expect(noGrad(() => again.predict(inputs))).toEqual(out);
    rt.setMbr!(null);
    expect(noGrad(() => rt.predict(inputs))).toEqual(greedy);
  });

  it("decodes the evaluation's phrases with it and rejects bad sizes with a usage error", () => {
    rt.setMbr!(mbr);
    const ev = noGrad(() => rt.evaluate("valid", 4));
    expect(ev.metrics.phrases).toBe(4);
    expect(ev.metrics.chrf).toBeGreaterThanOrEqual(0);
    expect(() => rt.setMbr!({ ...mbr, samples: 0 })).toThrow(UsageError);
    rt.setMbr!(null);
  });

  it("kNN decoding: its datastore holds the training split's target positions only, and λ 0 decodes as the model", () => {
    const knn = rt as unknown as { setKnn(o: { k: number; lambda: number; temperature: number } | null): void; knnDatastore(): { size: number } };
    const data = loadEmojiPairs("en", "zh");
    const positions = (ps: readonly { target: string }[]) => ps.reduce((n, p) => n + Array.from(p.target).length + 1, 0);
    const size = noGrad(() => knn.knnDatastore().size);
    expect(size).toBe(positions(data.train));
    expect(size).not.toBe(positions([...data.train, ...data.test]));
    const greedy = noGrad(() => rt.predict(inputs));
    knn.setKnn({ k: 4, lambda: 0, temperature: 10 });
    expect(noGrad(() => rt.predict(inputs))).toEqual(greedy);
    knn.setKnn({ k: 4, lambda: 1, temperature: 10 });
    const pure = noGrad(() => rt.predict(inputs));
    expect(pure.every((t) => typeof t === "string")).toBe(true);
    expect(() => knn.setKnn({ k: 0, lambda: 0.5, temperature: 10 })).toThrow(UsageError);
    knn.setKnn(null);
    expect(noGrad(() => rt.predict(inputs))).toEqual(greedy);
  });
});
