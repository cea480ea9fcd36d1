import { Seq2SeqTransformer } from "@heed/attention";
import { arange, Generator, greaterEqual, randint, reshape, Tensor, tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { exportSeq2Seq } from "./seq2seq.js";
import { ortGreedy, ortSeq2Seq } from "../test/ort-greedy.js";

/** Source ids in [3, V) with row b padded (id 0) after length S − (b mod 2); pad = true at padding. */
function batch(B: number, S: number, rng: Generator): { src: Tensor; pad: Tensor } {
  const lengths = tensor(Array.from({ length: B }, (_, b) => [S - (b % 2)]), [B, 1], "int32");
  const pad = greaterEqual(reshape(arange(S), [1, S]), lengths);
  const ids = randint(3, 12, [B, S], rng);
  const src = new Tensor(Int32Array.from(ids.data, (v, i) => (pad.data[i] ? 0 : v)), [B, S], "int32");
  return { src, pad };
}

describe("exportSeq2Seq: encoder + one-step decoder with key/value caches", () => {
  it.each(["composed", "ort-mha", "onnx-attention"] as const)("greedy decoding in ONNX Runtime equals Heed's generate, at several batch sizes and source lengths (attention '%s')", async (attention) => {
    const rng = new Generator(0);
    for (const normFirst of [false, true]) {
      const model = new Seq2SeqTransformer({ srcVocab: 12, tgtVocab: 10, dModel: 16, nhead: 2, numEncoderLayers: 2, numDecoderLayers: 2, dimFeedforward: 32, maxLen: 32, normFirst, rng });
      model.eval();
      const example = batch(2, 5, rng);
      const exported = exportSeq2Seq(model, example.src, example.pad, new Generator(1), { attention });
      expect(exported.decoder.shapes).toMatchObject({ tgt: ["batch", 1], past_key_0: ["batch", "past", 16], present_key_0: ["batch", "past+1", 16] });
      const s = await ortSeq2Seq(exported);
      const o = { bosId: 1, eosId: 2, maxSteps: 12 };
      for (const [B, S] of [[1, 3], [1, 8], [4, 3], [4, 8]] as const) {
        const { src, pad } = batch(B, S, rng);
        const heed = model.generate(src, { ...o, srcKeyPaddingMask: pad });
        expect(heed.some((r) => r.length > 1)).toBe(true);
        expect(await ortGreedy(s, src, pad, 16, o), `B=${B}, S=${S}, normFirst ${normFirst}, attention ${attention}`).toEqual(heed);
      }
    }
  });
});
