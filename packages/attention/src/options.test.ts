import { Generator, tensor, type Tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { rnd } from "../test/utils/reference.js";
import {
  attentionRollout, dotProductAttention, LearnedPositionalEncoding, MultiHeadAttention, multiHeadAttentionForward, PatchEmbedding, ResidualSelfAttention,
  scaledDotProductAttention, Seq2SeqTransformer, SinusoidalPositionalEncoding, TransformerDecoder, TransformerDecoderLayer, TransformerEncoder, TransformerEncoderLayer,
  VisionEncoderBlock, VisionTransformer,
} from "./index.js";

const E = 4, H = 2;
const x = (): Tensor => rnd([2, 3, E], 1);
const layerOptions = { dModel: E, nhead: H, dimFeedforward: 6, dropout: 0, dtype: "float64" as const };
const mha = (): MultiHeadAttention => new MultiHeadAttention({ embedDim: E, numHeads: H, rng: new Generator(0), dtype: "float64" });
const images = (): Tensor => rnd([2, 1, 4, 6], 2);
const vitOptions = { imageSize: [4, 6] as const, patchSize: 2, numLayers: 1, numHeads: H, hiddenDim: E, mlpDim: 6, numClasses: 3, inChannels: 1, dtype: "float64" as const };
const cfg = { numHeads: H, addZeroAttn: false, dropoutP: 0, rng: undefined };

/** [name, call with an options object, a valid non-default options object]; each call returns a tensor. */
const CASES: [string, (o: object) => Tensor, object][] = [
  ["scaledDotProductAttention", (o) => scaledDotProductAttention(x(), x(), x(), o), { isCausal: true }],
  ["dotProductAttention", (o) => dotProductAttention(x(), x(), x(), o), { scale: 0.5 }],
  ["MultiHeadAttention", (o) => new MultiHeadAttention({ embedDim: E, numHeads: H, rng: new Generator(0), dtype: "float64", ...o }).forward(x(), x(), x()).output, { bias: false }],
  ["MultiHeadAttention.forward", (o) => mha().forward(x(), x(), x(), o).output, { isCausal: true }],
  ["multiHeadAttentionForward: config", (o) => multiHeadAttentionForward(x(), x(), x(), mha().params(), { ...cfg, ...o }).output, { addZeroAttn: true }],
  ["TransformerEncoderLayer", (o) => new TransformerEncoderLayer({ ...layerOptions, rng: new Generator(0), ...o }).forward(x()), { normFirst: true }],
  ["TransformerEncoderLayer.forward", (o) => new TransformerEncoderLayer({ ...layerOptions, rng: new Generator(0) }).forward(x(), o), { isCausal: true }],
  ["TransformerDecoderLayer", (o) => new TransformerDecoderLayer({ ...layerOptions, rng: new Generator(0), ...o }).forward(x(), x()), { activation: "gelu" }],
  ["TransformerDecoderLayer.forward", (o) => new TransformerDecoderLayer({ ...layerOptions, rng: new Generator(0) }).forward(x(), x(), o), { tgtIsCausal: true }],
  ["TransformerEncoder", (o) => new TransformerEncoder({ layer: { ...layerOptions, rng: new Generator(0) }, numLayers: 1, ...o }).forward(x()), { norm: true }],
  ["TransformerEncoder: layer", (o) => new TransformerEncoder({ layer: { ...layerOptions, rng: new Generator(0), ...o }, numLayers: 1 }).forward(x()), { normFirst: true }],
  ["TransformerEncoder.forward", (o) => new TransformerEncoder({ layer: { ...layerOptions, rng: new Generator(0) }, numLayers: 1 }).forward(x(), o), { isCausal: true }],
  ["TransformerDecoder", (o) => new TransformerDecoder({ layer: { ...layerOptions, rng: new Generator(0) }, numLayers: 1, ...o }).forward(x(), x()), { norm: true }],
  ["TransformerDecoder.forward", (o) => new TransformerDecoder({ layer: { ...layerOptions, rng: new Generator(0) }, numLayers: 1 }).forward(x(), x(), o), { tgtIsCausal: true }],
  ["ResidualSelfAttention", (o) => new ResidualSelfAttention({ embedDim: E, numHeads: H, rng: new Generator(0), dtype: "float64", ...o }).forward(x()), { norm: "pre" }],
  ["ResidualSelfAttention.forward", (o) => new ResidualSelfAttention({ embedDim: E, numHeads: H, rng: new Generator(0), dtype: "float64" }).forward(x(), o), { isCausal: true }],
  ["SinusoidalPositionalEncoding", (o) => new SinusoidalPositionalEncoding({ dModel: E, dtype: "float64", ...o }).forward(x()), { maxLen: 8 }],
  ["LearnedPositionalEncoding", (o) => new LearnedPositionalEncoding({ dModel: E, rng: new Generator(0), dtype: "float64", ...o }).forward(x()), { maxLen: 8 }],
  ["PatchEmbedding", (o) => new PatchEmbedding({ inChannels: 1, patchSize: 2, embedDim: E, rng: new Generator(0), dtype: "float64", ...o }).forward(images()), { bias: false }],
  ["VisionEncoderBlock", (o) => new VisionEncoderBlock({ numHeads: H, hiddenDim: E, mlpDim: 6, rng: new Generator(0), dtype: "float64", ...o }).forward(x()), { layerNormEps: 1e-3 }],
  ["VisionTransformer", (o) => new VisionTransformer({ ...vitOptions, rng: new Generator(0), ...o }).forward(images()), { layerNormEps: 1e-3 }],
  ["Seq2SeqTransformer", (o) => new Seq2SeqTransformer({ srcVocab: 6, tgtVocab: 7, dModel: E, nhead: H, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 6,
    dropout: 0, rng: new Generator(0), dtype: "float64", ...o }).forward(tensor([[1, 2, 3]], "int32"), tensor([[1, 4]], "int32")), { normFirst: true }],
  ["attentionRollout", (o) => attentionRollout([rnd([2, H, 3, 3], 3).softmax(-1)], o), { residual: 0.25 }],
];

describe("options objects of @heed/attention", () => {
  it.each(CASES)("%s rejects an unknown key, naming the function, the key and the accepted keys", (name, call, valid) => {
    const key = Object.keys(valid)[0]!;
    const escaped = name.replace(/[.]/g, "\\.");
    expect(() => call({ ...valid, batch_first: true })).toThrow(new RegExp(`^${escaped}: unknown option 'batch_first' \\(accepted options: .*${key}`));
    expect(() => call({ ...valid, numHead: 2 })).toThrow(`${name}: unknown option 'numHead'`);
  });

  it.each(CASES)("%s treats an explicitly undefined option as its default", (_name, call, valid) => {
    const undef = Object.fromEntries(Object.keys(valid).map((k) => [k, undefined]));
    expect(Array.from(call(undef).data)).toEqual(Array.from(call({}).data));
  });

  it("PyTorch's snake_case names get a camelCase hint", () => {
    expect(() => new TransformerEncoderLayer({ ...layerOptions, dim_feedforward: 8 } as never)).toThrow("did you mean 'dimFeedforward'?");
    expect(() => mha().forward(x(), x(), x(), { key_padding_mask: null } as never)).toThrow("did you mean 'keyPaddingMask'?");
  });
});
