// Checks that `heed predict --engine ort` equals `heed predict` on every g2p test word and
// measures both engines' throughput. Needs a built CLI (`pnpm build`) and a g2p checkpoint:
//   node apps/cli/scripts/g2p-ort-equality.mjs runs/g2p [threads...]
// Prints one line per engine and thread count, then the number of words that differ (exit 1 if any).
import { loadCmudict } from "@heed/datasets/node";
import { setNumThreads } from "@heed/tensor-core/node";
import { heedPredictor, ortPredictor } from "../dist/index.js";

const [checkpoint, ...threadArgs] = process.argv.slice(2);
if (checkpoint === undefined) {
  process.stderr.write("usage: node apps/cli/scripts/g2p-ort-equality.mjs <g2p checkpoint> [threads...]\n");
  process.exit(2);
}
const threads = threadArgs.length > 0 ? threadArgs.map(Number) : [1, 2];
const words = loadCmudict().test.map((p) => p.word);

const heed = heedPredictor(checkpoint);
let reference = null;
for (const n of threads) {
  setNumThreads(n);
  const t0 = performance.now();
  const out = heed(words);
  const s = (performance.now() - t0) / 1000;
  reference ??= out;
  console.log(`heed, ${n} thread${n === 1 ? "" : "s"}: ${words.length} words in ${s.toFixed(2)} s = ${(words.length / s).toFixed(0)} words/s`);
}
setNumThreads(1);
let differ = 0;
for (const n of threads) {
  const ort = await ortPredictor(checkpoint, n);
  const t0 = performance.now();
  const out = await ort(words);
  const s = (performance.now() - t0) / 1000;
  console.log(`onnxruntime-node, ${n} thread${n === 1 ? "" : "s"}: ${words.length} words in ${s.toFixed(2)} s = ${(words.length / s).toFixed(0)} words/s`);
  const bad = out.map((o, i) => (o === reference[i] ? -1 : i)).filter((i) => i >= 0);
  for (const i of bad.slice(0, 5)) console.log(`  differs: ${words[i]}: heed '${reference[i]}' vs ort '${out[i]}'`);
  differ = Math.max(differ, bad.length);
}
console.log(`${words.length - differ} of ${words.length} test words decode identically in ONNX Runtime and Heed (greedy)`);
process.exit(differ === 0 ? 0 : 1);
