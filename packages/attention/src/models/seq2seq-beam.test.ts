import { noGrad } from "@heed/autograd";
import { Generator, randint, slice, tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { Seq2SeqTransformer } from "./seq2seq.js";

const BOS = 1, EOS = 2, V = 11;

describe("beam search over a batch", () => {
  it("gives each row the ids that searching that row alone gives (widths 2 and 4, rows finishing at different steps)", () => {
    const model = new Seq2SeqTransformer({ srcVocab: 9, tgtVocab: V, dModel: 16, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 2, dimFeedforward: 24, maxLen: 16, rng: new Generator(21) });
    model.generator.bias!.data[EOS] = 1.0; // some rows stop early, others run to maxSteps
    model.eval();
    const [B, S] = [7, 5];
    const src = randint(3, 9, [B, S], new Generator(22));
    const lengths = [5, 3, 1, 4, 5, 2, 3];
    const pad = tensor(lengths.map((n) => Array.from({ length: S }, (_, j) => j >= n)));
    for (const numBeams of [2, 4]) {
      const options = { bosId: BOS, eosId: EOS, maxSteps: 9, numBeams };
      const batched = noGrad(() => model.generate(src, { ...options, srcKeyPaddingMask: pad }));
      const alone = lengths.map((_, b) => noGrad(() => model.generate(slice(src, [b, 0], [b + 1, S]), { ...options, srcKeyPaddingMask: slice(pad, [b, 0], [b + 1, S]) })[0]!));
      expect(batched).toEqual(alone);
      const sizes = new Set(batched.map((r) => r.length));
      expect(sizes.size).toBeGreaterThan(1);
    }
  });
});
