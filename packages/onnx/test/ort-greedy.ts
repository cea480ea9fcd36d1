/** Greedy decoding on ONNX Runtime with the exported encoder and one-step decoder graphs (test helper). */
import type { Seq2SeqExport } from "@heed/onnx";
import type { Tensor } from "@heed/tensor-core";
import * as ort from "onnxruntime-node";
import { toOrt } from "./ort.js";

export interface OrtSeq2Seq {
  encoder: ort.InferenceSession;
  decoder: ort.InferenceSession;
  model: Seq2SeqExport;
}

export async function ortSeq2Seq(model: Seq2SeqExport): Promise<OrtSeq2Seq> {
  const opts = { intraOpNumThreads: 1, interOpNumThreads: 1 };
  return { encoder: await ort.InferenceSession.create(model.encoder.bytes, opts), decoder: await ort.InferenceSession.create(model.decoder.bytes, opts), model };
}

/** Greedy ids per row (without bos and eos), as `Seq2SeqTransformer.generate` returns them. */
export async function ortGreedy(s: OrtSeq2Seq, src: Tensor, pad: Tensor, E: number, o: { bosId: number; eosId: number; maxSteps: number }): Promise<number[][]> {
  const B = src.shape[0]!;
  const srcPad = toOrt(pad);
  const cross = await s.encoder.run({ src: toOrt(src), src_pad: srcPad });
  const feeds: Record<string, ort.Tensor> = { src_pad: srcPad };
  for (const n of s.model.encoder.outputNames) feeds[n] = cross[n]!;
  for (let i = 0; i < s.model.numLayers; i++) {
    for (const kind of ["key", "value"]) feeds[`past_${kind}_${i}`] = new ort.Tensor("float32", new Float32Array(0), [B, 0, E]);
  }
  let ids = new Int32Array(B).fill(o.bosId);
  const out: number[][] = Array.from({ length: B }, () => []);
  const done = new Array<boolean>(B).fill(false);
  for (let step = 0; step < o.maxSteps && done.includes(false); step++) {
    const r = await s.decoder.run({ ...feeds, tgt: new ort.Tensor("int32", ids, [B, 1]) });
    const logits = r.logits!.data as Float32Array;
    const V = logits.length / B;
    ids = Int32Array.from({ length: B }, (_, b) => {
      let best = 0;
      for (let v = 1; v < V; v++) if (logits[b * V + v]! > logits[b * V + best]!) best = v;
      return best;
    });
    ids.forEach((id, b) => {
      if (done[b]) return;
      if (id === o.eosId) done[b] = true;
      else out[b]!.push(id);
    });
    for (let i = 0; i < s.model.numLayers; i++) {
      for (const kind of ["key", "value"]) feeds[`past_${kind}_${i}`] = r[`present_${kind}_${i}`]!;
    }
  }
  return out;
}
