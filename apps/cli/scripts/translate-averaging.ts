// One `heed train translate` run through the trainer's own loop (`train()`, the function the CLI
// calls, config from the CLI's defaults and `--recipe`), keeping every epoch-end's weights; then
// `best/` (the epoch with the highest validation chrF) and averages of the epoch-end weights
// (checkpoint averaging: the last k epochs, and best ± r), each scored on the validation split (what
// a choice may read) and on the test split (reported only). Prints one JSON line per candidate.
//   pnpm --filter heed exec node --conditions=@heed/source --import tsx scripts/translate-averaging.ts <seed> [recipe] [out] [epochs]
// Needs built wasm kernels (`pnpm turbo run build --filter=heed...`); one thread, a 60-minute budget.
import { noGrad } from "@heed/autograd";
import { readFileSync } from "node:fs";
import { cpuUsage } from "node:process";
import { loadavg } from "node:os";
import { tensor } from "@heed/tensor-core";
import type { RecipeName } from "../src/config.js";
import { withRecipe } from "../src/recipe.js";
import type { TaskRuntime } from "../src/task.js";
import { translateTask } from "../src/tasks/translate.js";
import { train } from "../src/train.js";

const seed = Number(process.argv[2] ?? 1);
const recipe = (process.argv[3] ?? "default") as RecipeName;
const out = process.argv[4] ?? `/tmp/translate-avg-${recipe}-${seed}`;
const config = withRecipe(translateTask, recipe, { seed, maxMinutes: 60, ...(process.argv[5] === undefined ? {} : { epochs: Number(process.argv[5]) }) });
let rt: TaskRuntime | null = null;
const def = { ...translateTask, create: (...args: Parameters<typeof translateTask.create>) => (rt = translateTask.create(...args)) };
const snapshots: Map<string, Float32Array>[] = [];
const loads: number[] = [];
const reporter = {
  emit(e: { event: string; line?: string }) {
    if (e.event !== "epoch") return;
    snapshots.push(new Map([...rt!.model.stateDict()].map(([k, t]) => [k, Float32Array.from(t.data)])));
    loads.push(loadavg()[0]!);
    process.stderr.write(`${e.line}\n`);
  },
  close() {},
};
const cpu0 = cpuUsage();
await train(def, config, { out, resume: null, reporter, threads: 1 });
const cpu = cpuUsage(cpu0);
const history = readFileSync(`${out}/metrics.jsonl`, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { epoch: number; validScore: number });
let best = 0;
history.forEach((h, i) => { if (h.validScore > history[best]!.validScore) best = i; });
const n = snapshots.length;
const model = rt!.model;
const score = (epochs: number[]) => {
  const avg = new Map([...snapshots[0]!.keys()].map((k) => {
    const acc = new Float64Array(snapshots[0]!.get(k)!.length);
    for (const e of epochs) snapshots[e]!.get(k)!.forEach((x, j) => (acc[j] = acc[j]! + x / epochs.length));
    return [k, tensor(Float32Array.from(acc), model.stateDict().get(k)!.shape)];
  }));
  model.loadStateDict(avg, { strict: true });
  model.eval();
  const v = noGrad(() => rt!.evaluate("valid", 0));
  const t = noGrad(() => rt!.evaluate("test", 0));
  return { validChrf: v.metrics.chrf, validExact: v.metrics.exact, validLoss: v.loss, testChrf: t.metrics.chrf, testExact: t.metrics.exact };
};
const range = (a: number, b: number) => Array.from({ length: Math.min(b, n - 1) - Math.max(a, 0) + 1 }, (_, i) => Math.max(a, 0) + i);
const candidates: [string, number[]][] = [
  ["best", [best]], ["last", [n - 1]], ["last 3", range(n - 3, n - 1)], ["last 5", range(n - 5, n - 1)], ["last 10", range(n - 10, n - 1)],
  ["best ± 1", range(best - 1, best + 1)], ["best ± 2", range(best - 2, best + 2)], ["best and 4 before", range(best - 4, best)],
];
console.log(JSON.stringify({ seed, recipe, epochs: n, bestEpoch: best + 1, userCpuSeconds: cpu.user / 1e6, load: [Math.min(...loads), Math.max(...loads)] }));
for (const [name, epochs] of candidates) console.log(JSON.stringify({ seed, recipe, name, epochs: epochs.map((e) => e + 1), ...score(epochs) }));
