import { Generator, type Tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { rnd } from "../test/utils/reference.js";
import { MultiHeadAttention, scaledDotProductAttention } from "./index.js";

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
