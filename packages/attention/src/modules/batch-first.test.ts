import { Generator, tensor, transpose, type Tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { rnd } from "../../test/utils/reference.js";
import { MultiHeadAttention } from "./multi-head-attention.js";
import { TransformerDecoderLayer } from "./transformer-decoder-layer.js";
import { TransformerEncoderLayer } from "./transformer-encoder-layer.js";
import { generateSquareSubsequentMask, TransformerDecoder, TransformerEncoder } from "./transformer-stack.js";

// batchFirst: false takes PyTorch's default layout [L, B, E]; it must equal the batch-first result transposed.
const B = 3, L = 4, S = 5, E = 8, H = 2;
const seqFirst = (t: Tensor): Tensor => transpose(t, 0, 1);
/** TRUE = masked out: batch 1 ignores its last two keys, batch 2 its first one. */
const padding = (n: number): Tensor => tensor(Array.from({ length: B }, (_, b) => Array.from({ length: n }, (_, j) => (b === 1 && j >= n - 2) || (b === 2 && j === 0))));
const layer = { dModel: E, nhead: H, dimFeedforward: 12, dropout: 0, dtype: "float64" as const };

function expectTransposed(seqFirstOut: Tensor, batchFirstOut: Tensor): void {
  expect(seqFirstOut.shape).toEqual([batchFirstOut.shape[1], batchFirstOut.shape[0], ...batchFirstOut.shape.slice(2)]);
  expect(seqFirst(seqFirstOut).data).toBeAllclose(batchFirstOut.data, { rtol: 1e-10, atol: 1e-12 });
}

describe("batchFirst: false ([L, B, E], PyTorch's default layout)", () => {
  it("MultiHeadAttention: self-attention with a causal mask and key padding, weights stay [B, L, S]", () => {
    const make = (batchFirst: boolean): MultiHeadAttention => new MultiHeadAttention({ embedDim: E, numHeads: H, rng: new Generator(7), dtype: "float64", batchFirst });
    const [bf, sf] = [make(true), make(false)];
    expect([bf.batchFirst, sf.batchFirst]).toEqual([true, false]);
    const x = rnd([B, L, E], 1);
    const xs = seqFirst(x);
    const opts = { attnMask: generateSquareSubsequentMask(L), keyPaddingMask: padding(L) };
    const want = bf.forward(x, x, x, opts);
    const got = sf.forward(xs, xs, xs, opts);
    expectTransposed(got.output, want.output);
    expect(got.weights!.shape).toEqual([B, L, L]);
    expect(got.weights!.data).toBeAllclose(want.weights!.data, { rtol: 1e-10, atol: 1e-12 });
  });

  it("MultiHeadAttention: cross-attention with kdim/vdim, per-head weights and a bool attention mask", () => {
    const make = (batchFirst: boolean): MultiHeadAttention =>
      new MultiHeadAttention({ embedDim: E, numHeads: H, kdim: 6, vdim: 3, rng: new Generator(3), dtype: "float64", batchFirst });
    const [q, k, v] = [rnd([B, L, E], 2), rnd([B, S, 6], 3), rnd([B, S, 3], 4)];
    const attnMask = tensor(Array.from({ length: L }, (_, i) => Array.from({ length: S }, (_, j) => j > i + 1)));
    const opts = { attnMask, keyPaddingMask: padding(S), averageAttnWeights: false };
    const want = make(true).forward(q, k, v, opts);
    const got = make(false).forward(seqFirst(q), seqFirst(k), seqFirst(v), opts);
    expectTransposed(got.output, want.output);
    expect(got.weights!.shape).toEqual([B, H, L, S]);
    expect(got.weights!.data).toBeAllclose(want.weights!.data, { rtol: 1e-10, atol: 1e-12 });
    // Unbatched input has no batch dimension to move: both layouts agree.
    const un = make(false).forward(rnd([L, E], 5), rnd([S, 6], 6), rnd([S, 3], 7)).output;
    expect(un.data).toBeAllclose(make(true).forward(rnd([L, E], 5), rnd([S, 6], 6), rnd([S, 3], 7)).output.data, { rtol: 1e-12, atol: 1e-12 });
  });

  it("TransformerEncoderLayer and TransformerEncoder (pre-norm, final norm) with masks", () => {
    const x = rnd([B, L, E], 11);
    const opts = { srcMask: generateSquareSubsequentMask(L), srcKeyPaddingMask: padding(L) };
    const layerOf = (batchFirst: boolean): TransformerEncoderLayer => new TransformerEncoderLayer({ ...layer, rng: new Generator(5), batchFirst });
    expect(layerOf(false).batchFirst).toBe(false);
    expectTransposed(layerOf(false).forward(seqFirst(x), opts), layerOf(true).forward(x, opts));
    const stackOf = (batchFirst: boolean): TransformerEncoder =>
      new TransformerEncoder({ layer: { ...layer, normFirst: true, rng: new Generator(9), batchFirst }, numLayers: 2, norm: true });
    const stackOpts = { mask: generateSquareSubsequentMask(L), srcKeyPaddingMask: padding(L) };
    expect(stackOf(false).batchFirst).toBe(false);
    expectTransposed(stackOf(false).forward(seqFirst(x), stackOpts), stackOf(true).forward(x, stackOpts));
  });

  it("TransformerDecoderLayer and TransformerDecoder with causal target, memory mask and both paddings", () => {
    const [tgt, memory] = [rnd([B, L, E], 21), rnd([B, S, E], 22)];
    const opts = { tgtIsCausal: true, memoryMask: tensor(Array.from({ length: L }, (_, i) => Array.from({ length: S }, (_, j) => j === i))), tgtKeyPaddingMask: padding(L), memoryKeyPaddingMask: padding(S) };
    const layerOf = (batchFirst: boolean): TransformerDecoderLayer => new TransformerDecoderLayer({ ...layer, activation: "gelu", rng: new Generator(8), batchFirst });
    expectTransposed(layerOf(false).forward(seqFirst(tgt), seqFirst(memory), opts), layerOf(true).forward(tgt, memory, opts));
    const stackOf = (batchFirst: boolean): TransformerDecoder => new TransformerDecoder({ layer: { ...layer, rng: new Generator(4), batchFirst }, numLayers: 2 });
    expectTransposed(stackOf(false).forward(seqFirst(tgt), seqFirst(memory), opts), stackOf(true).forward(tgt, memory, opts));
  });

  it("a wrong batchFirst value is refused", () => {
    expect(() => new MultiHeadAttention({ embedDim: E, numHeads: H, batchFirst: "no" as never })).toThrow("MultiHeadAttention: batchFirst must be a boolean, got no");
  });
});
