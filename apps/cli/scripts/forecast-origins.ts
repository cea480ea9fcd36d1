// Rolling-origin selection for forecast (apps/cli/RECIPES.md, "Rolling-origin selection"): one cell
// = one seed in one origin frame (`forecastTaskOf({ origin })`, every split origin × 48 windows
// earlier, judged on the 48 windows after its validation windows, all before the test months).
// The whole default recipe runs as a user gets it, through the trainer's own loop (`train()`,
// config from the CLI's defaults, `--refit on`, one thread, a 60-minute budget so that the load
// cannot cut it): phase 1 picks `best/` and stops by its own validation windows, phase 2 refits on
// training + validation for phase 1's best epoch count. The judged months then score the models
// the candidates output, all from this one run (the test split is not read):
//   refit   `best/`: phase 2's model (the default)
//   off     `valid-best/`: phase 1's `best/` alone (`--refit off`)
//   blend   the mean forecast of both (2 × members forecasters)
//   swa5    phase 2's weights averaged over its last 5 epochs (fewer when it trains fewer)
//   steps   phase 2 stopped after phase 1's number of steps (epochs × phase 1's / phase 2's batches per epoch, rounded)
// Prints one JSON line per cell: the candidates' judged MAE / RMSE, the drift baseline's on the
// same months, phase 1's best epoch and inner validation MAE, user CPU seconds and the load average.
//   pnpm --filter heed exec node --conditions=@heed/source --import tsx scripts/forecast-origins.ts <seed> <origin> [members] [out]
import { noGrad } from "@heed/autograd";
import { readFileSync, rmSync } from "node:fs";
import { loadavg } from "node:os";
import { cpuUsage } from "node:process";
import { Generator, type Tensor } from "@heed/tensor-core";
import { loadCheckpoint } from "../src/checkpoint.js";
import { withRecipe } from "../src/recipe.js";
import { forecastTaskOf, MAX_ORIGIN, MEMBERS } from "../src/tasks/forecast.js";
import { train } from "../src/train.js";

const seed = Number(process.argv[2] ?? 1);
const origin = Number(process.argv[3] ?? 1);
const members = Number(process.argv[4] ?? MEMBERS);
const out = process.argv[5] ?? `/tmp/forecast-origins-${origin}-${seed}-${members}`;
if (!Number.isInteger(origin) || origin < 1 || origin > MAX_ORIGIN) throw new Error(`forecast-origins: origin must be an integer from 1 to ${MAX_ORIGIN} (origin 0 is judged on the test split), got ${process.argv[3]}`);
// refitBlend off: best/ holds phase 2's model alone, and the blend is scored here from both checkpoints
const task = forecastTaskOf({ structural: false, origin, members, refitBlend: false });
const config = withRecipe(task, undefined, { seed, maxMinutes: 60, refit: true });
rmSync(out, { recursive: true, force: true });

type State = Map<string, Tensor>;
const snapshots: State[] = []; // phase 2's weights at each epoch end
const loads: number[] = [];
let phase2 = false;
const reporter = {
  emit(e: { event: string; line?: string; text?: string }) {
    if (e.event === "message" && e.text?.startsWith("refit: a fresh model") === true) phase2 = true;
    if (e.event === "epoch") {
      loads.push(loadavg()[0]!);
      // the trainer saved last/ just before this epoch's evaluation
      if (phase2) snapshots.push(loadCheckpoint(`${out}/refit/last`, "last").model);
    }
  },
  close() {},
};
const cpu0 = cpuUsage();
const result = await train(task, config, { out, resume: null, reporter, threads: 1 });
const cpu = cpuUsage(cpu0);
if (result.refit?.stopped !== "epochs") throw new Error(`forecast-origins: phase 2 did not finish (${JSON.stringify(result.refit)})`);

const history = readFileSync(`${out}/metrics.jsonl`, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { epoch: number; validLoss: number });
const phase1 = loadCheckpoint(`${out}/valid-best`);
const refit = loadCheckpoint(out);
const E = result.refit.epochs;
if (snapshots.length !== E) throw new Error(`forecast-origins: ${snapshots.length} phase-2 snapshots for ${E} epochs`);

const runtime = (n: number) => task.create(refit.config, new Generator(seed), { ...(refit.vocab as object), members: n });
const score = (state: State | Record<string, Tensor>, n = members) => {
  const rt = runtime(n);
  rt.model.loadStateDict(state, { strict: true });
  rt.model.eval();
  const m = noGrad(() => rt.evaluate("test", 0)).metrics;
  return { mae: m.mae!, rmse: m.rmse!, driftMae: m.driftMae!, driftRmse: m.driftRmse! };
};
const average = (states: readonly State[]): Record<string, Tensor> => {
  const outState: Record<string, Tensor> = {};
  for (const key of states[0]!.keys()) {
    const sum = Float64Array.from(states[0]!.get(key)!.data as Float32Array);
    for (const s of states.slice(1)) s.get(key)!.data.forEach((v, i) => (sum[i]! += Number(v)));
    const t = states[0]!.get(key)!.clone();
    (t.data as Float32Array).set(Float32Array.from(sum, (v) => v / states.length));
    outState[key] = t;
  }
  return outState;
};
// the blend: phase 1's members, then phase 2's, as one ensemble of 2 × members
const blend: Record<string, Tensor> = {};
for (const [key, t] of phase1.model) blend[key] = t;
for (const [key, t] of refit.model) blend[key.replace(/^members\.(\d+)\./, (_, i: string) => `members.${Number(i) + members}.`)] = t;
const perEpoch = (n: number) => Math.ceil(n / config.batchSize);
const trainSizes = [runtime(members).trainSize, task.create(refit.config, new Generator(seed), refit.vocab, { withValid: true }).trainSize];
const stepsEpochs = Math.max(1, Math.round((E * perEpoch(trainSizes[0]!)) / perEpoch(trainSizes[1]!)));

const refitScore = score(refit.model);
const innerValid = (() => {
  const rt = runtime(members);
  rt.model.loadStateDict(phase1.model, { strict: true });
  rt.model.eval();
  return noGrad(() => rt.evaluate("valid", 0)).metrics.mae!;
})();
const candidates = {
  refit: refitScore,
  off: score(phase1.model),
  blend: score(blend, 2 * members),
  swa5: score(average(snapshots.slice(-5))),
  steps: { ...score(snapshots[stepsEpochs - 1]!), epochs: stepsEpochs },
};
const pick = (c: { mae: number; rmse: number }) => ({ mae: c.mae, rmse: c.rmse });
console.log(JSON.stringify({
  seed, origin, members, phase1Epochs: history.length, phase1BestEpoch: E, phase1ValidMae: innerValid, trainSizes,
  drift: { mae: refitScore.driftMae, rmse: refitScore.driftRmse },
  ...Object.fromEntries(Object.entries(candidates).map(([k, v]) => [k, { ...pick(v), ...("epochs" in v ? { epochs: v.epochs } : {}) }])),
  userCpuSeconds: cpu.user / 1e6, load: [Math.min(...loads), Math.max(...loads)],
}));
rmSync(out, { recursive: true, force: true });
