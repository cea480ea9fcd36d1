import { noGrad } from "@heed/autograd";
import { crossEntropy, Linear } from "@heed/nn";
import { Generator, reshape, tensor, type Tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { Seq2SeqTransformer } from "./seq2seq.js";
import { TiedLinear } from "./seq2seq-tied.js";

const opts = { srcVocab: 7, tgtVocab: 9, dModel: 8, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 16, maxLen: 16, dropout: 0 };
const ids = (rows: number[][]): Tensor => tensor(rows, undefined, "int32");
const src = ids([[3, 4, 5, 6], [2, 5, 0, 0]]);
const srcPad = tensor([[false, false, false, false], [false, false, true, true]]);
const tgtIn = ids([[1, 4, 7], [1, 8, 0]]);
const tgtOut = ids([[4, 7, 2], [8, 2, -100]]);

describe("Seq2SeqTransformer shareDecoderInputOutputEmbed", () => {
  it("is off by default: the generator is a Linear with its own weight, drawn as before", () => {
    const a = new Seq2SeqTransformer({ ...opts, rng: new Generator(3) });
    const b = new Seq2SeqTransformer({ ...opts, shareDecoderInputOutputEmbed: false, rng: new Generator(3) });
    expect(a.generator).toBeInstanceOf(Linear);
    expect(a.generator.weight).not.toBe(a.tgtEmbed.weight);
    for (const [name, t] of a.stateDict()) expect(t.data).toEqual(b.stateDict().get(name)!.data);
  });

  it("uses the target embedding's Parameter as the generator weight: listed once, same state-dict names", () => {
    const untied = new Seq2SeqTransformer(opts);
    const model = new Seq2SeqTransformer({ ...opts, shareDecoderInputOutputEmbed: true, rng: new Generator(1) });
    expect(model.generator).toBeInstanceOf(TiedLinear);
    expect(model.generator.weight).toBe(model.tgtEmbed.weight);
    expect([...model.stateDict().keys()]).toEqual([...untied.stateDict().keys()]);
    expect(model.parameters().length).toBe(untied.parameters().length - 1);
    expect(model.numParameters()).toBe(untied.numParameters() - opts.tgtVocab * opts.dModel);
    expect(model.stateDict().get("generator.weight")!.data).toEqual(model.stateDict().get("tgt_embed.weight")!.data);
    // a tied checkpoint loads into a tied model (both names carry the same values)
    const copy = new Seq2SeqTransformer({ ...opts, shareDecoderInputOutputEmbed: true, rng: new Generator(9) });
    copy.loadStateDict(model.stateDict(), { strict: true });
    expect(copy.forward(src, tgtIn, { srcKeyPaddingMask: srcPad }).data).toEqual(model.eval().forward(src, tgtIn, { srcKeyPaddingMask: srcPad }).data);
    expect(String(model)).toMatch(/tied/);
  });

  it("equals an untied model holding the same weight twice; the shared weight's gradient is the sum of both uses' (and matches finite differences, float64)", () => {
    const tied = new Seq2SeqTransformer({ ...opts, shareDecoderInputOutputEmbed: true, rng: new Generator(2), dtype: "float64" }).eval();
    const untied = new Seq2SeqTransformer({ ...opts, rng: new Generator(7), dtype: "float64" }).eval();
    untied.loadStateDict(tied.stateDict(), { strict: true }); // generator.weight = tgt_embed.weight's values
    const loss = (m: Seq2SeqTransformer): Tensor => {
      const logits = m.forward(src, tgtIn, { srcKeyPaddingMask: srcPad });
      return crossEntropy(reshape(logits, [6, 9]), reshape(tgtOut, [6]), { ignoreIndex: -100 });
    };
    const lt = loss(tied);
    const lu = loss(untied);
    expect(lt.item()).toBeCloseTo(lu.item(), 12);
    lt.backward();
    lu.backward();
    const sum = untied.tgtEmbed.weight.grad!.data.map((g, i) => g + untied.generator.weight.grad!.data[i]!);
    expect(tied.tgtEmbed.weight.grad!.data).toBeAllclose(sum, { rtol: 1e-10, atol: 1e-12 });
    const w = tied.tgtEmbed.weight.data;
    for (const j of [9, 35, 70]) { // rows 1, 4 and 8: read by the embedding and the generator
      const x0 = w[j]!;
      const eps = 1e-6;
      w[j] = x0 + eps;
      const plus = noGrad(() => loss(tied).item());
      w[j] = x0 - eps;
      const minus = noGrad(() => loss(tied).item());
      w[j] = x0;
      expect(tied.tgtEmbed.weight.grad!.data[j]).toBeCloseTo((plus - minus) / (2 * eps), 7);
    }
  });

  it("rejects a non-boolean option", () => {
    expect(() => new Seq2SeqTransformer({ ...opts, shareDecoderInputOutputEmbed: 1 as unknown as boolean })).toThrow(/Seq2SeqTransformer: shareDecoderInputOutputEmbed must be a boolean, got 1/);
  });
});
