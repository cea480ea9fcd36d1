// The hold-out check that decided each task's `--refit` default (CLI README, "Refit on training +
// validation"), and the refit runs themselves. One run through the trainer's own loop (`train()`,
// config from the CLI's defaults), one thread, a 60-minute budget so that the load cannot cut it:
//   mode holdout: trained on the training split without a validation-sized slice (classify: a
//                 random slice drawn from the seed; forecast: the latest windows)
//   mode full:    trained on the whole training split (phase 1 alone, `--refit off`)
//   mode refit:   `--refit on` (phase 1, then phase 2 on training + validation)
//   mode inner:   forecast only: `--refit on` in the inner frame (every split 48 windows earlier:
//                 trained without the latest 48 training windows, which pick phase 1's best epoch);
//                 its "test" scores are the validation split's, for phase 1's `best/` and the refit model
//                 (`forecastTaskOf({ origin: 1 })`; since session 14 its scaling reads only the frame's months,
//                 and `scripts/forecast-origins.ts` runs origins 1–4; mode refit of forecast now outputs the
//                 blend of phase 1's and phase 2's forecasters, REFIT_BLEND)
// Prints one JSON line: `best/`'s validation scores (what the choice reads) and its test scores
// (reported only), phase 1's best epoch, user CPU seconds and the load average.
//   pnpm --filter heed exec node --conditions=@heed/source --import tsx scripts/refit-proxy.ts <task> <seed> <mode> [out] [recipe | structural]
// the last argument: a `--recipe` name, or for forecast `structural` (the forecast-month token; RECIPES.md, fifth round).
import { noGrad } from "@heed/autograd";
import { readFileSync, rmSync } from "node:fs";
import { cpuUsage } from "node:process";
import { loadavg } from "node:os";
import { Generator } from "@heed/tensor-core";
import type { RecipeName } from "../src/config.js";
import { withRecipe } from "../src/recipe.js";
import { loadCheckpoint } from "../src/checkpoint.js";
import { forecastTaskOf } from "../src/tasks/forecast.js";
import { TASK_DEFINITIONS } from "../src/tasks/index.js";
import { train } from "../src/train.js";

const task = process.argv[2] as "classify" | "forecast" | "translate";
const seed = Number(process.argv[3] ?? 1);
const mode = process.argv[4] ?? "full";
const out = process.argv[5] ?? `/tmp/refit-${task}-${mode}-${seed}`;
if (!["holdout", "full", "refit", "inner"].includes(mode) || (mode === "inner" && task !== "forecast")) throw new Error(`refit-proxy: mode must be holdout, full or refit (or inner for forecast), got '${mode}' for ${task}`);
const variant = task === "forecast" && process.argv[6] === "structural" ? "structural" : "default";
const recipe = variant === "default" ? (process.argv[6] as RecipeName | undefined) : undefined;
const base = variant === "structural" || mode === "inner" ? forecastTaskOf({ structural: variant === "structural", origin: mode === "inner" ? 1 : 0 }) : TASK_DEFINITIONS[task];
// validation-sized: the number of validation examples (the task reports it as `phrases` / `months`)
const validMetrics = noGrad(() => base.create({ ...base.defaults, task, seed }, new Generator(seed)).evaluate("valid", 0)).metrics;
const validSize = validMetrics.phrases ?? validMetrics.months;
if (validSize === undefined) throw new Error(`refit-proxy: task '${task}' does not report its validation size (phrases or months)`);
const def = mode === "holdout" ? { ...base, create: (...a: Parameters<typeof base.create>) => base.create(a[0], a[1], a[2], { ...a[3], holdOut: validSize }) } : base;
const refit = mode === "refit" || mode === "inner";
const config = withRecipe(base, recipe, { seed, maxMinutes: 60, refit });
rmSync(out, { recursive: true, force: true });
const loads: number[] = [];
let trainSize = 0;
const reporter = {
  emit(e: { event: string; line?: string; text?: string; trainSize?: number }) {
    if (e.event === "start") trainSize = e.trainSize!;
    if (e.event === "epoch") loads.push(loadavg()[0]!);
    if (e.event === "epoch" || e.event === "message") process.stderr.write(`${e.line ?? e.text}\n`);
  },
  close() {},
};
const cpu0 = cpuUsage();
const result = await train(def, config, { out, resume: null, reporter, threads: 1 });
const cpu = cpuUsage(cpu0);
const history = readFileSync(`${out}/metrics.jsonl`, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { epoch: number; validLoss: number });
const phase1Best = JSON.parse(readFileSync(`${out}/${refit ? "valid-best" : "best"}/trainer.json`, "utf8")) as { epoch: number };
const pick = (m: Record<string, number>) => Object.fromEntries(Object.entries(m).filter(([k]) => ["accuracy", "macroF1", "mae", "rmse", "chrf", "exact"].includes(k)));
const scores = (dir: string) => {
  // restored through `base` (as `heed eval` restores through the task), so that the inner frame's splits hold
  const ckpt = loadCheckpoint(dir, "best");
  const rt = base.create(ckpt.config, new Generator(ckpt.config.seed), ckpt.vocab);
  rt.model.loadStateDict(ckpt.model, { strict: true });
  rt.model.eval();
  const v = noGrad(() => rt.evaluate("valid", 0));
  const t = noGrad(() => rt.evaluate("test", 0));
  return { valid: { loss: v.loss, ...pick(v.metrics) }, test: { loss: t.loss, ...pick(t.metrics) } };
};
// with refit, best/ trained on the validation split: its validation scores mean nothing; phase 1's best/ is valid-best/
console.log(JSON.stringify({
  task, seed, mode, variant, recipe: recipe ?? "default", trainSize, holdOut: mode === "holdout" ? validSize : 0, epochs: history.length, phase1BestEpoch: phase1Best.epoch, stopped: result.stopped, refit: result.refit,
  ...scores(refit ? `${out}/valid-best` : out), ...(refit ? { refitTest: scores(out).test } : {}),
  userCpuSeconds: cpu.user / 1e6, load: [Math.min(...loads), Math.max(...loads)],
}));
