import { Seq2SeqTransformer } from "@heed/attention";
import { noGrad } from "@heed/autograd";
import { Generator, Tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { drawToken, sampleSeq2Seq } from "./translate-sample.js";

describe("drawToken", () => {
  it("inverts the cumulative distribution over the tokens of probability ≥ ε", () => {
    const p = [0.1, 0.6, 0.3];
    expect([0, 0.05, 0.15, 0.69, 0.71, 0.95].map((u) => drawToken(p, 0, 3, u, 0))).toEqual([0, 0, 1, 1, 2, 2]);
    // ε = 0.2 drops token 0: the rest renormalised over 0.9
    expect([0, 0.6, 0.66, 0.67, 0.99].map((u) => drawToken(p, 0, 3, u, 0.2))).toEqual([1, 1, 1, 2, 2]);
    expect(drawToken(p, 0, 3, 0.99, 0.7)).toBe(1); // nothing reaches ε: the most likely token
    expect(drawToken([9, 9, 0, 1], 2, 2, 0.5, 0)).toBe(1); // reads probs[from, from + V)
  });
});

describe("sampleSeq2Seq", () => {
  const model = new Seq2SeqTransformer({ srcVocab: 7, tgtVocab: 9, dModel: 8, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 16, dropout: 0, maxLen: 20, rng: new Generator(3) });
  model.eval();
  const options = { bosId: 1, eosId: 2, maxSteps: 12, epsilon: 0 };
  const src = (rows: number[][]) => new Tensor(Int32Array.from(rows.flat()), [rows.length, rows[0]!.length], "int32");
  const a = [3, 4, 5];
  const b = [6, 5, 4];

  it("is a function of each row's generator: same seed, same samples, whatever else is in the batch", () => {
    const draw = (rows: number[][], seeds: string[]) => {
      const rngs = new Map(seeds.map((s) => [s, new Generator(s)]));
      return noGrad(() => sampleSeq2Seq(model, src(rows), seeds.map((s) => rngs.get(s)!), options));
    };
    const alone = draw([a, a, a], ["a", "a", "a"]);
    expect(draw([a, a, a], ["a", "a", "a"])).toEqual(alone);
    expect(draw([b, a, b, a, a], ["b", "a", "b", "a", "a"]).filter((_, r) => [1, 3, 4].includes(r))).toEqual(alone);
    expect(draw([a, a, a], ["c", "c", "c"])).not.toEqual(alone);
    for (const s of alone) expect(s.every((id) => id >= 0 && id < 9 && id !== 2)).toBe(true);
    expect(new Set(alone.map((s) => s.join())).size).toBeGreaterThan(1); // an untrained model's samples differ
  });

  it("with ε near 1 draws only the most likely token: greedy search", () => {
    const rows = [a, b];
    const rngs = [new Generator(1), new Generator(2)];
    const sampled = noGrad(() => sampleSeq2Seq(model, src(rows), rngs, { ...options, epsilon: 0.999 }));
    expect(sampled).toEqual(noGrad(() => model.generate(src(rows), { bosId: 1, eosId: 2, maxSteps: 12 })));
  });

  it("names a missing generator or a bad ε", () => {
    expect(() => sampleSeq2Seq(model, src([a, b]), [new Generator(1)], options)).toThrow("sampleSeq2Seq: expected one generator per source row (2), got 1");
    expect(() => sampleSeq2Seq(model, src([a]), [new Generator(1)], { ...options, epsilon: -0.1 })).toThrow("sampleSeq2Seq: epsilon must be in [0, 1), got -0.1");
  });
});
