// Rolling-origin selection for forecast (apps/cli/RECIPES.md, "The sixth round: rolling-origin
// selection", "The seventh round" and "The eighth round"): one cell = one seed in one origin frame
// (`forecastTaskOf({ origin })`, every split origin × 48 windows earlier, judged on the 48 windows
// after its validation windows, all before the test months). The test split is not read.
//
// One run per cell scores the eighth round's candidates (the sixth round's version of this
// script is at commit afedf82, the seventh round's, with patience40, floor20 and refit+10, at e1d5120):
// - phase 1 trains through the trainer (`train()`, the CLI's config, one thread, a 60-minute
//   budget so that the load cannot cut it) with no early stopping, its weights kept at every
//   epoch end, and is stopped (as an interrupt does, after an epoch end) once the default's
//   stopping point (`--patience 20`) has passed; its stop and `best/` epoch are replayed from that
//   run's validation losses as the trainer decides them (strictly lower is better, the first best wins);
// - phase 2 (the refit's own path: `train()` on training + validation, no validation pass, no
//   early stopping) trains for phase 1's best epoch count, its weights kept at every epoch end.
// Candidates: blend (the default: the mean forecast of phase 1's best/ and phase 2's model,
// 2 × members; with members 10 this is blend10) and blend+swa5 (the same with phase 2's weights
// averaged over its last 5 epochs, fewer when it trains fewer: the sixth round's swa5). The
// refit and off parts are printed too.
// Prints one JSON line per cell: judged MAE / RMSE, stop and best epochs, phase-2 epochs, user CPU
// of the run, the drift baseline's MAE on the same months, the load.
//   pnpm --filter heed exec node --conditions=@heed/source --import tsx scripts/forecast-origins.ts <seed> <origin> [members] [out]
import { noGrad } from "@heed/autograd";
import { readFileSync, rmSync } from "node:fs";
import { loadavg } from "node:os";
import { cpuUsage } from "node:process";
import { Generator, type Tensor } from "@heed/tensor-core";
import { loadCheckpoint } from "../src/checkpoint.js";
import { withRecipe } from "../src/recipe.js";
import type { TaskDefinition } from "../src/task.js";
import { forecastTaskOf, MAX_ORIGIN, MEMBERS } from "../src/tasks/forecast.js";
import { train } from "../src/train.js";

const seed = Number(process.argv[2] ?? 1);
const origin = Number(process.argv[3] ?? 1);
const members = Number(process.argv[4] ?? MEMBERS);
const out = process.argv[5] ?? `/tmp/forecast-origins-${origin}-${seed}-${members}`;
if (!Number.isInteger(origin) || origin < 1 || origin > MAX_ORIGIN) throw new Error(`forecast-origins: origin must be an integer from 1 to ${MAX_ORIGIN} (origin 0 is judged on the test split), got ${process.argv[3]}`);
// refitBlend off: phase 2 trains its members alone, and the blend is assembled here from both phases
const task = forecastTaskOf({ structural: false, origin, members, refitBlend: false });
const config = withRecipe(task, undefined, { seed, maxMinutes: 60, refit: true });
const PATIENCE = 20;
if (config.patience !== PATIENCE) throw new Error(`forecast-origins: the default's patience is ${config.patience}, this round was written for ${PATIENCE}`);
rmSync(out, { recursive: true, force: true });

/** The trainer's early stopping (`--patience`, checked to be PATIENCE above) replayed on validation losses v[0] (epoch 1) …: null while undecided. */
function replay(v: readonly number[]): { stop: number; best: number } | null {
  let best: number | null = null;
  let bestEpoch = 0;
  let since = 0;
  for (let e = 1; e <= v.length; e++) {
    if (best === null || v[e - 1]! < best) {
      best = v[e - 1]!;
      bestEpoch = e;
      since = 0;
    } else {
      since += 1;
    }
    if (since >= PATIENCE) return { stop: e, best: bestEpoch };
  }
  return v.length >= config.epochs && bestEpoch > 0 ? { stop: v.length, best: bestEpoch } : null;
}

type State = Map<string, Tensor>;
const loads: number[] = [];
const cpu0 = cpuUsage();
const cpuNow = () => cpuUsage(cpu0).user / 1e6;
const validLosses = () => readFileSync(`${out}/metrics.jsonl`, "utf8").trim().split("\n").map((l) => (JSON.parse(l) as { validLoss: number }).validLoss);

// phase 1: no early stopping; stopped once the default's stop is known
const p1: State[] = [];
const p1Cpu: number[] = [];
const stop = { stopped: false, signal: null, dispose: () => {} };
let evaluated = false;
await train(task, { ...config, refit: false, patience: 0 }, {
  out, resume: null, threads: 1, stop,
  reporter: {
    emit(e: { event: string; kind?: string }) {
      if (e.event === "epoch") {
        loads.push(loadavg()[0]!);
        p1.push(loadCheckpoint(`${out}/last`, "last").model); // saved just before this epoch's evaluation
        p1Cpu.push(cpuNow());
        evaluated = true;
      } else if (e.event === "checkpoint" && e.kind === "last" && evaluated) {
        evaluated = false; // metrics.jsonl holds this epoch now
        if (replay(validLosses()) !== null) stop.stopped = true;
      }
    },
    close() {},
  },
});
const v = validLosses();
const pick = replay(v);
if (pick === null) throw new Error(`forecast-origins: the default's stop is undecided after ${v.length} epochs`);
const p1End = cpuNow();

// phase 2: the refit's path, for phase 1's best epoch count
const E2 = pick.best;
const p2: State[] = [];
const p2Cpu: number[] = [];
const refitDef: TaskDefinition = { ...task, create: (c, rng, vocab, data) => task.create(c, rng, vocab, { ...data, withValid: true }) };
const r2 = await train(refitDef, { ...config, epochs: E2, patience: 0 }, {
  out: `${out}/refit`, resume: null, threads: 1, refitPhase: true,
  reporter: {
    emit(e: { event: string }) {
      if (e.event === "epoch") {
        loads.push(loadavg()[0]!);
        p2.push(loadCheckpoint(`${out}/refit/last`, "last").model);
        p2Cpu.push(cpuNow() - p1End);
      }
    },
    close() {},
  },
});
if (r2.stopped !== "epochs" || p2.length !== E2) throw new Error(`forecast-origins: phase 2 stopped by ${r2.stopped} after ${p2.length} of ${E2} epochs`);

const saved = loadCheckpoint(`${out}/refit/last`, "last"); // its config and vocab (the frame's scaling, the same in both phases)
const score = (state: State | Record<string, Tensor>, n: number) => {
  const rt = task.create(saved.config, new Generator(seed), { ...(saved.vocab as object), members: n });
  rt.model.loadStateDict(state, { strict: true });
  rt.model.eval();
  const m = noGrad(() => rt.evaluate("test", 0)).metrics;
  return { mae: m.mae!, rmse: m.rmse!, driftMae: m.driftMae! };
};
const blendOf = (a: State, b: State): Record<string, Tensor> => {
  const s: Record<string, Tensor> = {};
  for (const [key, t] of a) s[key] = t;
  for (const [key, t] of b) s[key.replace(/^members\.(\d+)\./, (_, i: string) => `members.${Number(i) + members}.`)] = t;
  return s;
};
/** The elementwise mean of several state dicts (the sixth round's swa5). */
const average = (states: readonly State[]): State => {
  const outState: State = new Map();
  for (const key of states[0]!.keys()) {
    const sum = Float64Array.from(states[0]!.get(key)!.data as Float32Array);
    for (const s of states.slice(1)) s.get(key)!.data.forEach((x, i) => (sum[i]! += Number(x)));
    const t = states[0]!.get(key)!.clone();
    (t.data as Float32Array).set(Float32Array.from(sum, (x) => x / states.length));
    outState.set(key, t);
  }
  return outState;
};
const round = (x: number) => Math.round(x * 1e4) / 1e4;
const phase1Best = p1[pick.best - 1]!;
const refit = score(p2[E2 - 1]!, members);
const blend = score(blendOf(phase1Best, p2[E2 - 1]!), 2 * members);
const swa5 = score(blendOf(phase1Best, average(p2.slice(Math.max(0, E2 - 5), E2))), 2 * members);
console.log(JSON.stringify({
  seed, origin, members, phase1Epochs: v.length, drift: round(refit.driftMae),
  default: { refit: round(refit.mae), off: round(score(phase1Best, members).mae) },
  blend: { mae: blend.mae, rmse: blend.rmse, stop: pick.stop, best: pick.best, epochs2: E2, userCpu: round(p1Cpu[pick.stop - 1]! + p2Cpu[E2 - 1]!) },
  "blend+swa5": { mae: swa5.mae, rmse: swa5.rmse, averaged: Math.min(5, E2) },
  userCpuRun: round(cpuNow()), load: [Math.min(...loads), Math.max(...loads)],
}));
rmSync(out, { recursive: true, force: true });
