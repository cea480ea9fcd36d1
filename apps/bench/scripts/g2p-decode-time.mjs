// Times `e2e/g2p-decode-trained`'s decoding in this process, on the built packages next to this
// script: greedy decoding of the 6,247 CMUdict test words with the cached trained model
// (apps/bench/.cache, written by the bench case's first run), length-sorted batches of 512, at
// most min(40, S + 8) steps, inside `noGrad`, wasm backend on 1 thread — the case's work. Prints
// one JSON line per run: CPU seconds (process.cpuUsage), wall seconds, the load average and a
// sha256 of every decoded id, so two builds can be compared as paired A/B rounds and checked for
// identical ids. `--ids=<file>` also writes the ids (row length, then the row's ids) as JSON.
//   node apps/bench/scripts/g2p-decode-time.mjs [--runs=1] [--cache=<dir>] [--ids=<file>]
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Seq2SeqTransformer } from "@heed/attention";
import { noGrad } from "@heed/autograd";
import { CharTokenizer, WordTokenizer } from "@heed/data";
import { loadCmudict } from "@heed/datasets/node";
import { Generator, setBackendAsync, Tensor } from "@heed/tensor-core";
import { setNumThreads } from "@heed/tensor-core/node";

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=")));
const here = path.dirname(fileURLToPath(import.meta.url));
const cache = args.cache ?? path.join(here, "..", ".cache");
const base = path.join(cache, "g2p-decode-2x128x256-600steps");
if (!existsSync(`${base}.json`)) {
  process.stderr.write(`g2p-decode-time: ${base}.json not found; run the bench case once (pnpm bench --filter=e2e/g2p-decode-trained --engines=heed-wasm)\n`);
  process.exit(2);
}
if (!(await setBackendAsync("wasm"))) throw new Error("g2p-decode-time: no wasm backend");
setNumThreads(1);

const { train, test } = loadCmudict();
const srcTok = CharTokenizer.fromCorpus(train.map((p) => p.word));
const tgtTok = WordTokenizer.fromCorpus(train.map((p) => p.phonemes.join(" ")));
const words = test.map((p) => srcTok.encode(p.word));
const model = new Seq2SeqTransformer({
  srcVocab: srcTok.size, tgtVocab: tgtTok.size, dModel: 128, nhead: 4, numEncoderLayers: 2, numDecoderLayers: 2, dimFeedforward: 256, dropout: 0.1, maxLen: 42, rng: new Generator(1),
});
const saved = JSON.parse(readFileSync(`${base}.json`, "utf8"));
const bytes = readFileSync(`${base}.bin`);
const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
let at = 0;
for (const [name, t] of model.stateDict()) {
  const i = saved.names.indexOf(name);
  if (i < 0 || saved.lengths[i] !== t.size) throw new Error(`g2p-decode-time: ${name} does not match ${base}.json`);
  t.data.set(all.subarray(at, at + t.size));
  at += t.size;
}
model.eval();
const { bosId, eosId } = { bosId: tgtTok.vocab.bosId, eosId: tgtTok.vocab.eosId };

const order = words.map((_, i) => i).sort((a, b) => words[a].length - words[b].length || a - b);
const batches = [];
for (let i = 0; i < order.length; i += 512) {
  const rows = order.slice(i, i + 512);
  const S = Math.max(...rows.map((k) => words[k].length), 1);
  const src = new Int32Array(rows.length * S);
  const pad = new Uint8Array(rows.length * S).fill(1);
  rows.forEach((k, r) => {
    src.set(words[k], r * S);
    pad.fill(0, r * S, r * S + words[k].length);
  });
  batches.push({ src: new Tensor(src, [rows.length, S], "int32"), pad: new Tensor(pad, [rows.length, S], "bool"), maxSteps: Math.min(40, S + 8) });
}
const decode = () =>
  noGrad(() => {
    const ids = [];
    for (const b of batches) {
      const out = model.generate(b.src, { srcKeyPaddingMask: b.pad, bosId, eosId, maxSteps: b.maxSteps, numBeams: 1 });
      for (const row of out) ids.push(row.length, ...row);
    }
    return ids;
  });

decode(); // warm-up, as the bench case
const runs = Number(args.runs ?? 1);
for (let r = 0; r < runs; r++) {
  const load = loadavg()[0];
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const ids = decode();
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const sha = createHash("sha256").update(Int32Array.from(ids)).digest("hex").slice(0, 16);
  if (args.ids !== undefined && r === 0) writeFileSync(args.ids, JSON.stringify(ids));
  console.log(JSON.stringify({ cpu: +((c.user + c.system) / 1e6).toFixed(3), wall: +wall.toFixed(3), load: +load.toFixed(2), ids: ids.length, sha }));
}
