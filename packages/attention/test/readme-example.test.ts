import { MultiHeadAttention, scaledDotProductAttention, Seq2SeqDecoding, Seq2SeqTransformer, TransformerEncoder } from "@heed/attention";
import { noGrad } from "@heed/autograd";
import { crossEntropy, manualSeed } from "@heed/nn";
import { Generator, logicalNot, randn, reshape, sum, tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";

describe("README example", () => {
  it("runs and gives the documented shapes", () => {
    const g = new Generator(0);
    // functional: q [B, H, L, E], k [B, H, S, E], v [B, H, S, Ev]
    const q = randn([2, 4, 5, 8], g).requiresGrad_();
    const k = randn([2, 4, 6, 8], g);
    const v = randn([2, 4, 6, 3], g);
    const out = scaledDotProductAttention(q, k, v, { isCausal: true }); // [2, 4, 5, 3]
    sum(out).backward(); // q.grad [2, 4, 5, 8]
    expect(out.shape).toEqual([2, 4, 5, 3]);
    expect(q.grad!.shape).toEqual([2, 4, 5, 8]);

    // module: bool masks mean TRUE = masked out (PyTorch's nn.MultiheadAttention convention)
    manualSeed(0);
    const mha = new MultiHeadAttention({ embedDim: 8, numHeads: 2 });
    const x = randn([2, 6, 8], g); // [B, L, E]
    const pad = tensor([[false, false, false, false, true, true], [false, false, false, false, false, false]]);
    const { output, weights } = mha.forward(x, x, x, { keyPaddingMask: pad }); // [2, 6, 8], [2, 6, 6]
    expect(output.shape).toEqual([2, 6, 8]);
    expect(weights!.shape).toEqual([2, 6, 6]);
    expect(weights!.data[4]).toBe(0); // padded key 4 gets no weight

    // the same padding for the functional op: TRUE = takes part, so negate it
    const sameMask = logicalNot(reshape(pad, [2, 1, 1, 6]));
    const f = scaledDotProductAttention(randn([2, 2, 6, 4], g), randn([2, 2, 6, 4], g), randn([2, 2, 6, 4], g), { attnMask: sameMask, returnWeights: true });
    expect(f.weights.data[5]).toBe(0);

    // a 2-layer encoder, state dict names as in PyTorch: layers.0.self_attn.in_proj_weight, ...
    const encoder = new TransformerEncoder({ layer: { dModel: 8, nhead: 2, dimFeedforward: 16, dropout: 0 }, numLayers: 2 });
    const encoded = encoder.forward(x, { srcKeyPaddingMask: pad }); // [2, 6, 8]
    expect(encoded.shape).toEqual([2, 6, 8]);
    expect([...encoder.stateDict().keys()][0]).toBe("layers.0.self_attn.in_proj_weight");
  });
});

describe("README Seq2SeqTransformer example", () => {
  it("runs and gives the documented shapes", () => {
    const model = new Seq2SeqTransformer({
      srcVocab: 30, tgtVocab: 40, dModel: 32, nhead: 4, numEncoderLayers: 2, numDecoderLayers: 2,
      dimFeedforward: 64, dropout: 0.1, maxLen: 64, rng: new Generator(0),
    });
    const src = tensor([[5, 6, 7, 8], [9, 10, 0, 0]], undefined, "int32"); // [B, S], 0 = padding
    const srcPad = tensor([[false, false, false, false], [false, false, true, true]]); // TRUE = padding
    const tgtIn = tensor([[1, 11, 12], [1, 13, 14]], undefined, "int32"); // bos + target, [B, T]
    const tgtOut = tensor([[11, 12, 2], [13, 14, 2]], undefined, "int32"); // target + eos
    const logits = model.forward(src, tgtIn, { srcKeyPaddingMask: srcPad }); // [2, 3, 40]
    const loss = crossEntropy(reshape(logits, [6, 40]), reshape(tgtOut, [6]), { labelSmoothing: 0.1 });
    loss.backward();
    expect(logits.shape).toEqual([2, 3, 40]);
    expect(model.generator.weight.grad!.shape).toEqual([40, 32]);

    model.eval();
    const greedy = noGrad(() => model.generate(src, { srcKeyPaddingMask: srcPad, bosId: 1, eosId: 2, maxSteps: 10 }));
    const beam = noGrad(() => model.generate(src, { srcKeyPaddingMask: srcPad, bosId: 1, eosId: 2, maxSteps: 10, numBeams: 4 }));
    const maps = noGrad(() => model.attentionMaps(src, tgtIn, { srcKeyPaddingMask: srcPad }));
    expect(greedy.length).toBe(2);
    expect(beam.length).toBe(2);
    expect(greedy.every((row) => row.length <= 10 && !row.includes(2))).toBe(true);
    expect(maps.encoder[1]!.shape).toEqual([2, 4, 4, 4]);
    expect(maps.decoderSelf[0]!.shape).toEqual([2, 4, 3, 3]);
    expect(maps.cross[1]!.shape).toEqual([2, 4, 3, 4]);

    const run = new Seq2SeqDecoding(model, src, { srcKeyPaddingMask: srcPad }); // encodes once
    const first = noGrad(() => run.step(Int32Array.from([1, 1]))); // logits [B, V] after bos
    expect(first.shape).toEqual([2, 40]);
  });
});
