// Greedy against minimum-Bayes-risk decoding (src/tasks/translate-mbr.ts) on one translate
// checkpoint: chrF and exact match on a split, with user CPU seconds per phrase. Prints one JSON
// line per decoding. The sizes are chosen on the validation split; the test split only reports.
//   pnpm --filter heed exec node --conditions=@heed/source --import tsx scripts/translate-mbr.ts <checkpoint> <valid|test> [N,k,eps ...]
// With no N,k,eps given: greedy and the grid N ∈ {16, 32} × k ∈ {0, 4} × ε ∈ {0, 0.02}.
// Needs built wasm kernels (`pnpm turbo run build --filter=heed...`); one thread.
import { noGrad } from "@heed/autograd";
import { cpuUsage } from "node:process";
import { loadavg } from "node:os";
import { restore } from "../src/restore.js";
import type { MbrOptions } from "../src/tasks/translate-mbr.js";

const [path, split = "valid", ...specs] = process.argv.slice(2);
if (path === undefined || (split !== "valid" && split !== "test")) throw new Error("usage: translate-mbr.ts <checkpoint> <valid|test> [N,k,eps ...]");
const grid: (MbrOptions | null)[] = specs.length > 0
  ? specs.map((s) => (s === "greedy" ? null : (([samples, neighbours, epsilon]) => ({ samples: samples!, neighbours: neighbours!, epsilon: epsilon! }))(s.split(",").map(Number))))
  : [null, ...[16, 32].flatMap((samples) => [0, 4].flatMap((neighbours) => [0, 0.02].map((epsilon) => ({ samples, neighbours, epsilon }))))];
const { rt } = restore(path);
for (const mbr of grid) {
  rt.setMbr!(mbr);
  const cpu0 = cpuUsage();
  const r = noGrad(() => rt.evaluate(split, 0));
  const user = cpuUsage(cpu0).user / 1e6;
  const phrases = r.metrics.phrases!;
  process.stdout.write(JSON.stringify({ checkpoint: path, split, decode: mbr ?? "greedy", chrf: r.metrics.chrf, exact: r.metrics.exact, phrases, userSeconds: user, userSecondsPerPhrase: user / phrases, load: loadavg()[0] }) + "\n");
}
