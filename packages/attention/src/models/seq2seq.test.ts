import { add, Generator, mul, tensor, Tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { Seq2SeqTransformer } from "./seq2seq.js";

const opts = { srcVocab: 7, tgtVocab: 9, dModel: 8, nhead: 2, numEncoderLayers: 2, numDecoderLayers: 2, dimFeedforward: 16, maxLen: 16 };
const ids = (rows: number[][]): Tensor => tensor(rows, undefined, "int32");
const src = ids([[3, 4, 5, 6], [2, 5, 0, 0]]);
const srcPad = tensor([[false, false, false, false], [false, false, true, true]]);
const tgtIn = ids([[1, 4, 7], [1, 8, 0]]);
const tgtPad = tensor([[false, false, false], [false, false, true]]);

/** The names today's g2p/translate checkpoints hold for a 1+1-layer model (PyTorch-style). */
function expectedKeys(normFirst: boolean): string[] {
  const mha = (p: string) => [`${p}.in_proj_weight`, `${p}.in_proj_bias`, `${p}.out_proj.weight`, `${p}.out_proj.bias`];
  const ln = (p: string) => [`${p}.weight`, `${p}.bias`];
  const ff = (p: string) => [`${p}.linear1.weight`, `${p}.linear1.bias`, `${p}.linear2.weight`, `${p}.linear2.bias`];
  const enc = "encoder.layers.0";
  const dec = "decoder.layers.0";
  return [
    "src_embed.weight", "tgt_embed.weight",
    ...mha(`${enc}.self_attn`), ...ff(enc), ...ln(`${enc}.norm1`), ...ln(`${enc}.norm2`), ...(normFirst ? ln("encoder.norm") : []),
    ...mha(`${dec}.self_attn`), ...mha(`${dec}.multihead_attn`), ...ff(dec), ...ln(`${dec}.norm1`), ...ln(`${dec}.norm2`), ...ln(`${dec}.norm3`), ...(normFirst ? ln("decoder.norm") : []),
    "generator.weight", "generator.bias",
  ];
}

describe("Seq2SeqTransformer", () => {
  for (const normFirst of [false, true]) {
    it(`forward equals the composition of its layers (normFirst=${normFirst})`, () => {
      const model = new Seq2SeqTransformer({ ...opts, normFirst, rng: new Generator(1), dtype: "float64" }).eval();
      const logits = model.forward(src, tgtIn, { srcKeyPaddingMask: srcPad, tgtKeyPaddingMask: tgtPad });
      expect(logits.shape).toEqual([2, 3, 9]);
      const scale = Math.sqrt(opts.dModel);
      const memory = model.encoder.forward(model.pos.forward(mul(model.srcEmbed.forward(src), scale)), { srcKeyPaddingMask: srcPad });
      const hidden = model.decoder.forward(model.pos.forward(mul(model.tgtEmbed.forward(tgtIn), scale)), memory, {
        tgtIsCausal: true, tgtKeyPaddingMask: tgtPad, memoryKeyPaddingMask: srcPad,
      });
      expect(logits.data).toBeAllclose(model.generator.forward(hidden).data, { rtol: 1e-12, atol: 1e-12 });
      expect(model.encoder.norm !== null).toBe(normFirst);
    });

    it(`state-dict names are PyTorch-style and unchanged (normFirst=${normFirst})`, () => {
      const model = new Seq2SeqTransformer({ ...opts, numEncoderLayers: 1, numDecoderLayers: 1, normFirst });
      expect([...model.stateDict().keys()].sort()).toEqual(expectedKeys(normFirst).sort());
      const copy = new Seq2SeqTransformer({ ...opts, numEncoderLayers: 1, numDecoderLayers: 1, normFirst, rng: new Generator(5) });
      copy.loadStateDict(model.stateDict(), { strict: true });
      expect(copy.generator.weight.data).toBeAllclose(model.generator.weight.data, { rtol: 0, atol: 0 });
    });
  }

  it("initialises from its generator: same seed, same weights; embeddings N(0, 1/E) with a zero padding row", () => {
    const a = new Seq2SeqTransformer({ ...opts, rng: new Generator(3) });
    const b = new Seq2SeqTransformer({ ...opts, rng: new Generator(3) });
    for (const [name, t] of a.stateDict()) expect(t.data).toBeAllclose(b.stateDict().get(name)!.data, { rtol: 0, atol: 0 });
    const w = a.tgtEmbed.weight.data;
    expect(Array.from(w.subarray(0, 8))).toEqual(new Array(8).fill(0));
    const rest = Array.from(w.subarray(8));
    const variance = rest.reduce((s, x) => s + x * x, 0) / rest.length;
    expect(variance).toBeGreaterThan(0.02);
    expect(variance).toBeLessThan(0.5); // 1/E = 0.125 (N(0, 1) would give ≈ 1)
  });

  it("attentionMaps: every layer and head, from the layers' own forward (pre-norm included)", () => {
    const model = new Seq2SeqTransformer({ ...opts, normFirst: true, rng: new Generator(2), dtype: "float64" }).eval();
    const maps = model.attentionMaps(src, tgtIn, { srcKeyPaddingMask: srcPad });
    expect(maps.encoder.map((w) => w.shape)).toEqual([[2, 2, 4, 4], [2, 2, 4, 4]]);
    expect(maps.decoderSelf.map((w) => w.shape)).toEqual([[2, 2, 3, 3], [2, 2, 3, 3]]);
    expect(maps.cross.map((w) => w.shape)).toEqual([[2, 2, 3, 4], [2, 2, 3, 4]]);
    // layer 0's cross-attention query is norm2(y + selfAttn(norm1(y))): the CLI once skipped norm1 here
    const layer = [...model.decoder.layers][0]!;
    const memory = model.encode(src, srcPad);
    const y = model.embedTgt(tgtIn);
    const n1 = layer.norm1.forward(y);
    const h = add(y, layer.selfAttn.forward(n1, n1, n1, { isCausal: true }).output);
    const { weights } = layer.multiheadAttn.forward(layer.norm2.forward(h), memory, memory, { keyPaddingMask: srcPad, averageAttnWeights: false });
    expect(maps.cross[0]!.data).toBeAllclose(weights!.data, { rtol: 1e-12, atol: 1e-12 });
    // padded source keys get no weight; causal self-attention sees no later position
    expect(maps.cross[1]!.data[((1 * 2 + 0) * 3 + 0) * 4 + 3]).toBe(0);
    expect(maps.decoderSelf[0]!.data[1]).toBe(0);
  });

  it("errors name the function and the bad option or shape", () => {
    expect(() => new Seq2SeqTransformer({ ...opts, nhead: 3 })).toThrow(/Seq2SeqTransformer: dModel 8 is not divisible by nhead 3/);
    expect(() => new Seq2SeqTransformer({ ...opts, numDecoderLayers: 0 })).toThrow(/Seq2SeqTransformer: numDecoderLayers must be a positive integer, got number 0/);
    expect(() => new Seq2SeqTransformer({ ...opts, paddingIdx: 7 })).toThrow(/paddingIdx must be null or an id below both vocabulary sizes/);
    const model = new Seq2SeqTransformer(opts);
    expect(() => model.forward(tensor([[1.5, 2]]), tgtIn)).toThrow(/Seq2SeqTransformer.embedSrc: src must be int32 token ids \[B, S\], got float32 \[1,2\]/);
    expect(() => model.forward(src, ids([new Array<number>(17).fill(1), new Array<number>(17).fill(1)]))).toThrow(/exceed maxLen 16/);
  });
});
