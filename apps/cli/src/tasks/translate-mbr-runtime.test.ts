import { noGrad } from "@heed/autograd";
import { describe, expect, it } from "vitest";
import { configOf, reload, trainSteps } from "../../test/tasks-testing.js";
import { UsageError } from "../errors.js";
import { translateTask } from "./translate.js";

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
});
