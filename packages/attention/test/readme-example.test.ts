import { MultiHeadAttention, scaledDotProductAttention, TransformerEncoder } from "@heed/attention";
import { manualSeed } from "@heed/nn";
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
