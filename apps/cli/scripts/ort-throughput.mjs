// Predict throughput of `heed predict` (Heed) and `heed predict --engine ort` (ONNX Runtime) on
// held-out inputs of a checkpoint's task, at 1 and 2 threads, for each way of exporting
// attention, and whether every answer is identical. Needs a built CLI (`pnpm build`):
//   node apps/cli/scripts/ort-throughput.mjs <checkpoint> [limit]
// Prints one line per engine, attention export and thread count, each the best of three runs
// (exit 1 if any answer differs).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadCmudict, loadEmojiClassification, loadEmojiPairs } from "@heed/datasets/node";
import { Generator, randn } from "@heed/tensor-core";
import { setNumThreads } from "@heed/tensor-core/node";
import { heedPredictor, ortPredictor } from "../dist/index.js";

const [checkpoint, limitArg] = process.argv.slice(2);
if (checkpoint === undefined) {
  process.stderr.write("usage: node apps/cli/scripts/ort-throughput.mjs <checkpoint> [limit]\n");
  process.exit(2);
}
// a run directory holds best/ and last/; a checkpoint directory holds config.json itself
const configFile = [join(checkpoint, "config.json"), join(checkpoint, "best", "config.json")].find(existsSync);
const config = JSON.parse(readFileSync(configFile ?? join(checkpoint, "config.json"), "utf8"));
const limit = Number(limitArg ?? 2000);

/** Held-out inputs of each task: test words, phrases, months, digits; random feature rows for the seed. */
function heldOut(task) {
  if (task === "g2p") return loadCmudict().test.map((p) => p.word);
  if (task === "translate") return loadEmojiPairs(config.locales[0], config.locales[1]).test.map((p) => p.source);
  if (task === "classify") return loadEmojiClassification("en").test.map((p) => p.text);
  if (task === "forecast") return Array.from({ length: 120 }, (_, i) => `${2010 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}`);
  if (task === "digits") return Array.from({ length: 2000 }, (_, i) => `test:${i}`);
  const x = randn([1000, 8], new Generator(0)).data;
  return Array.from({ length: 1000 }, (_, i) => Array.from(x.subarray(i * 8, i * 8 + 8), (v) => v.toFixed(3)).join(" "));
}
// short sets are repeated so that one timed run lasts about a second or more
const REPEAT = { classify: 10, forecast: 5, seed: 10, translate: 10 };
const inputs = Array.from({ length: REPEAT[config.task] ?? 1 }, () => heldOut(config.task).slice(0, limit)).flat();
const unit = { g2p: "words", translate: "phrases", classify: "phrases", forecast: "months", digits: "digits", seed: "rows" }[config.task];

/** The best of three runs after a warm-up run (the machine is shared: the best is the least disturbed). */
async function time(label, predict) {
  let out = await predict(inputs.slice(0, 64));
  let best = Infinity;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    out = await predict(inputs);
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  console.log(`${label}: ${inputs.length} ${unit} in ${best.toFixed(2)} s = ${(inputs.length / best).toFixed(0)} ${unit}/s (best of 3)`);
  return out;
}

const heed = heedPredictor(checkpoint, { mbr: null }); // greedy, as ONNX Runtime decodes (MBR is translate's default in Heed only)
let reference = null;
for (const n of [1, 2]) {
  setNumThreads(n);
  const out = await time(`heed, ${n} thread${n === 1 ? "" : "s"}`, heed);
  reference ??= out;
}
setNumThreads(1);
const cli = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "heed-ort-"));
let differ = 0;
for (const attention of ["composed", "ort-mha", "onnx-attention"]) {
  const out = join(dir, attention);
  const r = spawnSync(process.execPath, [cli, "export", checkpoint, "--out", out, "--attention", attention], { encoding: "utf8" });
  if (r.status !== 0) {
    console.log(`onnxruntime-node, attention ${attention}: export failed: ${r.stderr.trim()}`);
    continue;
  }
  for (const n of [1, 2]) {
    const got = await time(`onnxruntime-node, attention ${attention}, ${n} thread${n === 1 ? "" : "s"}`, await ortPredictor(out, n));
    const bad = got.map((o, i) => (o === reference[i] ? -1 : i)).filter((i) => i >= 0);
    for (const i of bad.slice(0, 3)) console.log(`  differs: ${inputs[i]}: heed '${reference[i]}' vs ort '${got[i]}'`);
    differ = Math.max(differ, bad.length);
  }
}
rmSync(dir, { recursive: true, force: true });
console.log(`${inputs.length - differ} of ${inputs.length} answers identical in ONNX Runtime and Heed (${config.task})`);
process.exit(differ === 0 ? 0 : 1);
