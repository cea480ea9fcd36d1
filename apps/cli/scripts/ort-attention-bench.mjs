// Which attention export is fastest in ONNX Runtime: a Transformer encoder (the CLI's g2p size)
// and the one-step g2p decoder exported three ways (composed standard ops, ORT's
// com.microsoft.MultiHeadAttention, ONNX's opset-23 Attention), run interleaved so that a busy
// machine slows all three alike. Needs built packages (`pnpm build`):
//   node apps/cli/scripts/ort-attention-bench.mjs [rounds]
// Prints the median ms per run of each graph and export, and its ratio to composed.
import { Seq2SeqTransformer, TransformerEncoder } from "@heed/attention";
import { exportOnnx, exportSeq2Seq } from "@heed/onnx";
import { Generator, greater, rand, randint, randn, Tensor } from "@heed/tensor-core";
import * as ort from "onnxruntime-node";

const rounds = Number(process.argv[2] ?? 30);
const KINDS = ["composed", "ort-mha", "onnx-attention"];
const g = new Generator(0);
const E = 128;
const toOrt = (t) => new ort.Tensor(t.dtype, t.data, [...t.shape]);

/** name → { kind → (session, feeds) } */
const cases = {};
const enc = new TransformerEncoder({ layer: { dModel: E, nhead: 4, dimFeedforward: 256, rng: g }, numLayers: 2 }).eval();
const [B, L] = [64, 12];
const x = randn([B, L, E], g);
const pad = greater(rand([B, L], g), 0.8);
for (const threads of [1, 2]) {
  const encName = `encoder 2 layers, E ${E}, H 4, batch ${B} × ${L} (padding mask), ${threads} thread${threads === 1 ? "" : "s"}`;
  const decName = `one-step decoder 2 layers, batch ${B}, source 12, past 10, ${threads} thread${threads === 1 ? "" : "s"}`;
  cases[encName] = {};
  cases[decName] = {};
  const s2s = new Seq2SeqTransformer({ srcVocab: 31, tgtVocab: 73, dModel: E, nhead: 4, numEncoderLayers: 2, numDecoderLayers: 2, dimFeedforward: 256, maxLen: 42, rng: new Generator(1) }).eval();
  const src = randint(3, 31, [2, 5], g);
  for (const attention of KINDS) {
    const opts = { intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: "all" };
    const e = exportOnnx(enc, { x: randn([2, 5, E], g), pad: new Tensor(new Uint8Array(10), [2, 5], "bool") }, {
      forward: ({ x, pad }) => enc.forward(x, { srcKeyPaddingMask: pad }), attention,
    });
    cases[encName][attention] = { session: await ort.InferenceSession.create(e.bytes, opts), feeds: { x: toOrt(x), pad: toOrt(pad) } };
    const { decoder } = exportSeq2Seq(s2s, src, new Tensor(new Uint8Array(10), [2, 5], "bool"), new Generator(2), { attention });
    const feeds = { tgt: toOrt(randint(3, 73, [B, 1], g)), src_pad: toOrt(greater(rand([B, 12], g), 0.9)) };
    for (let i = 0; i < 2; i++) {
      for (const [n, len] of [["past", 10], ["cross", 12]]) {
        feeds[`${n}_key_${i}`] = toOrt(randn([B, len, E], g));
        feeds[`${n}_value_${i}`] = toOrt(randn([B, len, E], g));
      }
    }
    cases[decName][attention] = { session: await ort.InferenceSession.create(decoder.bytes, opts), feeds };
  }
}
const median = (a) => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)];
for (const [name, byKind] of Object.entries(cases)) {
  const times = Object.fromEntries(KINDS.map((k) => [k, []]));
  for (const k of KINDS) await byKind[k].session.run(byKind[k].feeds); // warm-up
  for (let r = 0; r < rounds; r++) {
    for (const k of KINDS) {
      const t0 = performance.now();
      await byKind[k].session.run(byKind[k].feeds);
      times[k].push(performance.now() - t0);
    }
  }
  const base = median(times.composed);
  console.log(`${name}: ${KINDS.map((k) => `${k} ${median(times[k]).toFixed(2)} ms (${(median(times[k]) / base).toFixed(2)}×)`).join(", ")}`);
}
