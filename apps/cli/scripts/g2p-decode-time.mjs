// Times `heed predict`'s g2p decoding of every CMUdict test word (6,247) on one thread, in CPU
// seconds (process.cpuUsage: the machine may be shared) and wall seconds, and prints a hash of
// the output so two builds can be checked for identical predictions. Needs a built CLI
// (`pnpm build`) and a g2p checkpoint:
//   node apps/cli/scripts/g2p-decode-time.mjs runs/g2p [beam] [words]
import { createHash } from "node:crypto";
import { loadavg } from "node:os";
import { loadCmudict } from "@heed/datasets/node";
import { setNumThreads } from "@heed/tensor-core/node";
import { heedPredictor } from "../dist/index.js";

const [checkpoint, beamArg = "1", wordsArg = "0"] = process.argv.slice(2);
if (checkpoint === undefined) {
  process.stderr.write("usage: node apps/cli/scripts/g2p-decode-time.mjs <g2p checkpoint> [beam] [words]\n");
  process.exit(2);
}
setNumThreads(1);
const all = loadCmudict().test.map((p) => p.word);
const n = Number(wordsArg);
const words = n > 0 ? all.slice(0, n) : all;
const predict = heedPredictor(checkpoint, { beam: Number(beamArg) });
const load = loadavg()[0].toFixed(1);
const c0 = process.cpuUsage();
const t0 = performance.now();
const out = predict(words);
const wall = (performance.now() - t0) / 1000;
const c = process.cpuUsage(c0);
const cpu = (c.user + c.system) / 1e6;
const hash = createHash("sha256").update(out.join("\n")).digest("hex").slice(0, 16);
console.log(`${words.length} words, beam ${beamArg}, 1 thread: ${cpu.toFixed(2)} CPU s (user ${(c.user / 1e6).toFixed(2)}), ${wall.toFixed(2)} wall s, load ${load}; output sha256 ${hash}`);
