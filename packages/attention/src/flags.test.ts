import { Generator, tensor, type Tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { rnd } from "../test/utils/reference.js";
import { MultiHeadAttention, scaledDotProductAttention, Seq2SeqTransformer } from "./index.js";

const x = (): Tensor => rnd([2, 3, 4], 1);

describe("boolean options are booleans", () => {
  it("scaledDotProductAttention: a string isCausal / returnWeights throws instead of counting as true", () => {
    expect(() => scaledDotProductAttention(x(), x(), x(), { isCausal: "false" as unknown as boolean })).toThrow(
      "scaledDotProductAttention: expected 'isCausal' to be a boolean, got string 'false'",
    );
    expect(() => scaledDotProductAttention(x(), x(), x(), { returnWeights: 1 as unknown as false })).toThrow("scaledDotProductAttention: expected 'returnWeights' to be a boolean, got number 1");
  });

  it("MultiHeadAttention.forward: needWeights, averageAttnWeights and isCausal", () => {
    const mha = new MultiHeadAttention({ embedDim: 4, numHeads: 2, rng: new Generator(0), dtype: "float64" });
    expect(() => mha.forward(x(), x(), x(), { needWeights: "no" as unknown as boolean })).toThrow("MultiHeadAttention.forward: expected 'needWeights' to be a boolean, got string 'no'");
    expect(() => mha.forward(x(), x(), x(), { averageAttnWeights: 0 as unknown as boolean })).toThrow("MultiHeadAttention.forward: expected 'averageAttnWeights' to be a boolean, got number 0");
    expect(() => mha.forward(x(), x(), x(), { isCausal: null as unknown as boolean })).toThrow("MultiHeadAttention.forward: expected 'isCausal' to be a boolean, got null");
    expect(mha.forward(x(), x(), x(), { needWeights: false }).weights).toBeNull();
  });
});

describe("Seq2SeqTransformer.generate checks its options' keys", () => {
  it("a misspelled beam width (PyTorch/HF's num_beams) throws instead of decoding greedily", () => {
    const model = new Seq2SeqTransformer({ srcVocab: 12, tgtVocab: 12, dModel: 8, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 8, dropout: 0, maxLen: 16, rng: new Generator(0) });
    model.eval();
    const src = tensor([[5, 6, 7]], undefined, "int32");
    expect(() => model.generate(src, { bosId: 1, eosId: 2, maxSteps: 3, num_beams: 2 } as never)).toThrow(
      "Seq2SeqTransformer.generate: unknown option 'num_beams' (accepted options: bosId, eosId, maxSteps, srcKeyPaddingMask, numBeams, useCache) — did you mean 'numBeams'?",
    );
    expect(model.generate(src, { bosId: 1, eosId: 2, maxSteps: 3, numBeams: 2 })).toHaveLength(1);
  });
});
