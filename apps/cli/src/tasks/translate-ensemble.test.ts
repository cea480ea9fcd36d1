import { Seq2SeqTransformer } from "@heed/attention";
import { noGrad } from "@heed/autograd";
import { seq2seqCollate } from "@heed/data";
import { add, argmax, Generator, logSoftmax, mul, slice, tensor, type Tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { configOf, reload, trainSteps } from "../../test/tasks-testing.js";
import { seq2seqLoss } from "./common-seq2seq.js";
import { TranslateEnsemble, translateLoss } from "./translate-ensemble.js";
import { MEMBERS, translateTask } from "./translate.js";

const BOS = 1, EOS = 2, V = 9;
const ids = (rows: number[][]): Tensor => tensor(rows, undefined, "int32");
const src = ids([[3, 4, 5, 6], [2, 5, 0, 0], [6, 6, 3, 0]]);
const pad = tensor([[false, false, false, false], [false, false, true, true], [false, false, false, true]]);

function member(seed: number): Seq2SeqTransformer {
  const m = new Seq2SeqTransformer({ srcVocab: 7, tgtVocab: V, dModel: 8, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 2, dimFeedforward: 16, maxLen: 16, rng: new Generator(seed) });
  m.generator.bias!.data[EOS] = -1; // rows run a few steps before stopping
  return m.eval();
}

/** Greedy search the plain way: at each step, the argmax of the members' mean log-softmax over full forward passes. */
function referenceGreedy(members: Seq2SeqTransformer[], row: number, maxSteps: number): number[] {
  const s = slice(src, [row, 0], [row + 1, 4]);
  const p = slice(pad, [row, 0], [row + 1, 4]);
  const out: number[] = [];
  for (let t = 0; t < maxSteps; t++) {
    const logps = members.map((m) => logSoftmax(slice(m.forward(s, ids([[BOS, ...out]]), { srcKeyPaddingMask: p }), [0, t, 0], [1, t + 1, V]), -1));
    const next = argmax(mul(logps.reduce((a, b) => add(a, b)), 1 / logps.length), -1).data[0]!;
    if (next === EOS) break;
    out.push(next);
  }
  return out;
}

describe("TranslateEnsemble", () => {
  const options = { srcKeyPaddingMask: pad, bosId: BOS, eosId: EOS, maxSteps: 8 };

  it("decodes jointly: greedy picks the argmax of the members' mean log-probabilities at every step", () => {
    const members = [member(1), member(2), member(3)];
    const ensemble = new TranslateEnsemble(members).eval();
    const got = noGrad(() => ensemble.generate(src, options));
    expect(got).toEqual([0, 1, 2].map((r) => noGrad(() => referenceGreedy(members, r, 8))));
    expect(got.some((r) => r.length > 0)).toBe(true);
    expect(got).not.toEqual(noGrad(() => members[0]!.generate(src, options))); // not just the first member
  });

  it("one member decodes as that model does (greedy and beam); forward is the mean log-probability", () => {
    const m = member(4);
    const one = new TranslateEnsemble([m]).eval();
    for (const numBeams of [1, 3]) expect(noGrad(() => one.generate(src, { ...options, numBeams }))).toEqual(noGrad(() => m.generate(src, { ...options, numBeams })));
    const two = new TranslateEnsemble([member(5), member(6)]).eval();
    const tgtIn = ids([[BOS, 3], [BOS, 4], [BOS, 5]]);
    const want = mul(add(logSoftmax(two.members.at(0).forward(src, tgtIn, { srcKeyPaddingMask: pad }), -1), logSoftmax(two.members.at(1).forward(src, tgtIn, { srcKeyPaddingMask: pad }), -1)), 0.5);
    expect(noGrad(() => two.forward(src, tgtIn, { srcKeyPaddingMask: pad })).data).toBeAllclose(want.data);
  });

  it("trains on the mean of the members' own losses", () => {
    const members = [member(7), member(8)];
    const batch = seq2seqCollate({ padId: 0, bosId: BOS, eosId: EOS })([{ src: [3, 4], tgt: [5, 6, 7] }, { src: [5], tgt: [3] }]);
    const ensemble = new TranslateEnsemble(members);
    const want = (seq2seqLoss(members[0]!, batch, 0.1).item() + seq2seqLoss(members[1]!, batch, 0.1).item()) / 2;
    expect(translateLoss(ensemble, batch, 0.1).item()).toBeCloseTo(want, 5);
    expect(translateLoss(members[0]!, batch, 0.1).item()).toBe(seq2seqLoss(members[0]!, batch, 0.1).item());
  });
});

describe("translate's ensemble in checkpoints", () => {
  const tiny = configOf(translateTask, { dModel: 16, heads: 2, layers: 1, ff: 32, batchSize: 16, warmup: 0, recipe: "long" });

  it("the default trains one model; --recipe long (10 minutes) trains an ensemble", () => {
    const { recipe: _recipe, ...plain } = tiny;
    const one = translateTask.create(plain, new Generator(1));
    expect(one.model).toBeInstanceOf(Seq2SeqTransformer);
    expect(one.vocab()).not.toHaveProperty("members");
    expect(translateTask.recipes?.long).toEqual({ maxMinutes: 10, epochs: 30 });
  });

  it(`--recipe long trains ${MEMBERS} members, records them in vocab.json and reloads the same translations`, () => {
    const a = trainSteps(translateTask, tiny, 2);
    expect(a.rt.model).toBeInstanceOf(TranslateEnsemble);
    expect((a.rt.model as TranslateEnsemble).size).toBe(MEMBERS);
    expect((a.rt.vocab() as { members?: number }).members).toBe(MEMBERS);
    expect([...a.rt.model.stateDict().keys()].some((k) => k.startsWith(`members.${MEMBERS - 1}.src_embed`))).toBe(true);
    const again = reload(translateTask, tiny, a.rt);
    const inputs = ["red heart", "flag: Wales"];
    expect(noGrad(() => again.predict(inputs))).toEqual(noGrad(() => a.rt.predict(inputs)));
  });

  it("a vocab.json without members (checkpoints of one model) builds one Seq2SeqTransformer", () => {
    const { members, ...vocab } = translateTask.create(tiny, new Generator(1)).vocab() as Record<string, unknown>;
    expect(members).toBe(MEMBERS);
    const one = translateTask.create(tiny, new Generator(1), vocab);
    expect(one.model).toBeInstanceOf(Seq2SeqTransformer);
    expect(one.vocab()).not.toHaveProperty("members");
    expect([...one.model.stateDict().keys()]).toContain("src_embed.weight");
  });
});
