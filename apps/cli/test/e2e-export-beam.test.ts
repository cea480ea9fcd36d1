import { noGrad } from "@heed/autograd";
import { loadCmudict, loadEmojiPairs } from "@heed/datasets/node";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import type { TrainConfig } from "../src/config.js";
import { exportCheckpoint } from "../src/export.js";
import { OrtSeq2Seq } from "../src/export-ort-seq2seq.js";
import { TASK_DEFINITIONS } from "../src/tasks/index.js";
import { configOf, reload, trainSteps } from "./tasks-testing.js";

// Beam search on ONNX Runtime (the exported encoder and one-step decoder) against
// Seq2SeqTransformer.generate's beam search in `heed predict`, on held-out inputs.

const SMALL: Partial<TrainConfig> = { dModel: 32, heads: 2, layers: 1, ff: 64, batchSize: 64, warmup: 10 };

async function check(task: "g2p" | "translate", steps: number, inputs: string[], overrides: Partial<TrainConfig> = {}): Promise<void> {
  const def = TASK_DEFINITIONS[task];
  const config = configOf(def, { ...SMALL, ...overrides });
  const { rt } = trainSteps(def, config, steps);
  const vocab: unknown = JSON.parse(JSON.stringify(rt.vocab()));
  const { sidecar, files } = exportCheckpoint(rt, config, vocab);
  for (const beam of [1, 3]) {
    const heed = reload(def, { ...config, beam }, rt);
    const want = noGrad(() => heed.predict(inputs));
    const model = await OrtSeq2Seq.create(ort, sidecar, files, 1, beam);
    expect(await model.predict(inputs), `beam ${beam}`).toEqual(want);
  }
  const greedy = noGrad(() => reload(def, config, rt).predict(inputs));
  const beam3 = await (await OrtSeq2Seq.create(ort, sidecar, files, 1, 3)).predict(inputs);
  expect(beam3.filter((o, i) => o !== greedy[i]).length, "beam search changes some outputs (so the test can tell the two apart)").toBeGreaterThan(0);
}

describe("predict --engine ort --beam: ONNX Runtime beam search equals Heed's", () => {
  it("g2p: 150 test words", async () => {
    await check("g2p", 60, loadCmudict().test.slice(0, 150).map((p) => p.word));
  });

  it("translate: all 96 test phrases", async () => {
    // translate's default lr (2e-3) leaves 30 steps too little to make beam search differ from greedy;
    // with the country-name lexicon among the batches, 30 steps at 5e-3 are too few as well
    await check("translate", 60, loadEmojiPairs("en", "zh").test.map((p) => p.source), { lr: 5e-3 });
  });

  it("translate --recipe long (an ensemble of two, decoded on the mean log-probabilities): all 96 test phrases", async () => {
    await check("translate", 60, loadEmojiPairs("en", "zh").test.map((p) => p.source), { lr: 5e-3, recipe: "long" });
  });

  it("translate --recipe tied (the generator's weight is the target embedding's; the export holds it as two equal initialisers): all 96 test phrases", async () => {
    await check("translate", 60, loadEmojiPairs("en", "zh").test.map((p) => p.source), { lr: 5e-3, recipe: "tied" });
  });

  it("translate --recipe deep (2 encoder layers, 1 decoder layer): all 96 test phrases", async () => {
    await check("translate", 60, loadEmojiPairs("en", "zh").test.map((p) => p.source), { lr: 5e-3, recipe: "deep", layers: 2 });
  });
});
