import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { noGrad } from "@heed/autograd";
import { Adam, clipGradNorm, packOptimizerState, unpackOptimizerState, type Module } from "@heed/nn";
import { Generator, type Tensor } from "@heed/tensor-core";
import { saveCheckpoint, type LoadedCheckpoint } from "./checkpoint.js";
import type { TrainConfig } from "./config.js";
import { RuntimeError } from "./errors.js";
import { writeTextAtomic } from "./files.js";
import type { Reporter } from "./reporter.js";
import { lineChartSvg } from "./svg.js";
import type { TaskDefinition, TaskRuntime } from "./task.js";

export interface TrainOptions {
  out: string | null;
  resume: LoadedCheckpoint | null;
  reporter: Reporter;
  /** Set by the SIGINT handler: finish the current step, save `last`, exit cleanly. */
  stopSignal: { stop: boolean };
}

export interface EpochRecord {
  epoch: number;
  step: number;
  loss: number;
  testLoss: number;
  validLoss: number;
  metrics: Record<string, number>;
  seconds: number;
}

/** Trainer state saved in trainer.json so that --resume continues exactly where a run stopped. */
interface TrainerState {
  epoch: number;
  /** batches of `epoch` already done (0 when the epoch has not started) */
  batchInEpoch: number;
  step: number;
  elapsedSeconds: number;
  history: EpochRecord[];
  best: number | null;
  runningLoss: number;
  runningCount: number;
}

/** Inverse-square-root schedule with linear warm-up (Vaswani et al. 2017), peaking at `lr`. */
export function learningRate(config: TrainConfig, step: number): number {
  if (config.warmup <= 0) return config.lr;
  const s = Math.max(step, 1);
  return config.lr * Math.min(s / config.warmup, Math.sqrt(config.warmup / s));
}

function parameterCount(model: Module): number {
  let n = 0;
  for (const p of model.parameters()) n += p.size;
  return n;
}

function dropoutSeed(config: TrainConfig, step: number): Generator {
  return new Generator(`${config.seed}:dropout:${step}`);
}

/** Let pending events (Ctrl-C) run: the training loop is synchronous between these points. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export async function train(def: TaskDefinition, config: TrainConfig, options: TrainOptions): Promise<EpochRecord | null> {
  const { reporter, out, resume } = options;
  const dropoutRng = new Generator(config.seed);
  const rt: TaskRuntime = def.create(config, dropoutRng, resume?.vocab);
  const model = rt.model;
  const optimizer = new Adam(model.parameters(), { lr: config.lr, betas: [0.9, 0.98], eps: 1e-9 });
  let state: TrainerState = { epoch: 1, batchInEpoch: 0, step: 0, elapsedSeconds: 0, history: [], best: null, runningLoss: 0, runningCount: 0 };
  if (resume !== null) {
    model.loadStateDict(resume.model, { strict: true });
    if (resume.optimizer === null) throw new RuntimeError(`cannot resume from ${resume.dir}: it has no optimizer.safetensors`);
    optimizer.loadStateDict(unpackOptimizerState(resume.optimizer, resume.optimizerMeta));
    state = resume.trainer as unknown as TrainerState;
  }
  reporter.emit({ event: "start", task: def.name, parameters: parameterCount(model), config: { ...config }, trainSize: rt.trainSize, testSize: rt.testSize });

  if (out !== null) mkdirSync(out, { recursive: true });
  const started = Date.now() - state.elapsedSeconds * 1000;
  const budgetMs = config.maxMinutes * 60_000;
  let stopped: "epochs" | "time" | "steps" | "interrupt" = "epochs";
  let last: EpochRecord | null = state.history.at(-1) ?? null;

  const save = (kind: "best" | "last") => {
    if (out === null) return;
    const opt = packOptimizerState(optimizer.stateDict());
    saveCheckpoint(join(out, kind), {
      model: model.stateDict(),
      optimizer: opt.tensors,
      optimizerMeta: opt.metadata,
      config: { ...config },
      vocab: rt.vocab(),
      trainer: { ...state, elapsedSeconds: (Date.now() - started) / 1000 },
    });
    reporter.emit({ event: "checkpoint", path: join(out, kind), kind });
  };

  const evaluateEpoch = (epochDone: boolean): EpochRecord => {
    model.eval();
    const test = noGrad(() => rt.evaluate("test", config.evalSize));
    const valid = noGrad(() => rt.evaluate("valid", 0, { lossOnly: true }));
    model.train();
    const loss = state.runningCount > 0 ? state.runningLoss / state.runningCount : Number.NaN;
    const rec: EpochRecord = { epoch: state.epoch, step: state.step, loss, testLoss: test.loss, validLoss: valid.loss, metrics: test.metrics, seconds: (Date.now() - started) / 1000 };
    const partial = epochDone ? "" : ` (stopped after ${state.batchInEpoch} batches)`;
    const metricText = rt.formatMetrics(test.metrics);
    const line = `Epoch ${state.epoch}/${config.epochs}, Loss: ${fmt(loss)}, Test Loss: ${fmt(test.loss)}${metricText ? `, ${metricText}` : ""}${partial}`;
    reporter.emit({ event: "epoch", epoch: state.epoch, epochs: config.epochs, loss, testLoss: test.loss, metrics: test.metrics, seconds: rec.seconds, line });
    state.history.push(rec);
    if (out !== null) {
      writeTextAtomic(join(out, "metrics.jsonl"), state.history.map((r) => JSON.stringify(r)).join("\n") + "\n");
      writeTextAtomic(join(out, "loss.svg"), lossCurve(def.name, state.history));
    }
    // best = lowest validation loss (test data is never used to pick a checkpoint)
    if (state.best === null || valid.loss < state.best) {
      state.best = valid.loss;
      save("best");
    }
    return rec;
  };

  model.train();
  outer: while (state.epoch <= config.epochs) {
    const batches = rt.batches(state.epoch);
    let windowStart = Date.now();
    let windowExamples = 0;
    for (let b = state.batchInEpoch; b < batches.length; b++) {
      await yieldToEventLoop();
      if (options.stopSignal.stop) {
        stopped = "interrupt";
        break outer;
      }
      if (config.maxSteps > 0 && state.step >= config.maxSteps) {
        stopped = "steps";
        break outer;
      }
      if (Date.now() - started > budgetMs) {
        stopped = "time";
        break outer;
      }
      const batch = batches[b];
      dropoutRng.setState(dropoutSeed(config, state.step).getState());
      const lr = learningRate(config, state.step + 1);
      for (const group of optimizer.paramGroups) group.lr = lr;
      const loss = rt.loss(batch);
      loss.backward();
      clipGradNorm(model.parameters(), 1.0);
      optimizer.step();
      optimizer.zeroGrad();
      const l = loss.item();
      if (!Number.isFinite(l)) throw new RuntimeError(`training diverged: loss is ${l} at epoch ${state.epoch}, step ${state.step + 1} (try a lower --lr)`);
      state.runningLoss += l;
      state.runningCount += 1;
      state.step += 1;
      state.batchInEpoch = b + 1;
      windowExamples += rt.batchSize(batch);
      const secs = (Date.now() - windowStart) / 1000;
      reporter.emit({ event: "step", epoch: state.epoch, step: b + 1, steps: batches.length, loss: state.runningLoss / state.runningCount, examplesPerSecond: secs > 0 ? windowExamples / secs : 0 });
      if (secs > 10) {
        windowStart = Date.now();
        windowExamples = 0;
      }
    }
    last = evaluateEpoch(true);
    state.epoch += 1;
    state.batchInEpoch = 0;
    state.runningLoss = 0;
    state.runningCount = 0;
    save("last");
  }
  if (stopped !== "epochs") {
    if (state.batchInEpoch > 0) last = evaluateEpoch(false);
    save("last");
  }
  reporter.emit({ event: "done", metrics: last?.metrics ?? {}, seconds: (Date.now() - started) / 1000, out, stopped });
  return last;
}

function fmt(x: number): string {
  return Number.isFinite(x) ? x.toFixed(4) : String(x);
}

function lossCurve(task: string, history: readonly EpochRecord[]): string {
  const x = (r: EpochRecord, i: number) => (history.length > 1 ? r.epoch : i + 1);
  return lineChartSvg(`heed train ${task}: loss per epoch`, "epoch", "loss", [
    { name: "train loss", color: "#1f77b4", points: history.map((r, i) => [x(r, i), r.loss]) },
    { name: "test loss", color: "#d62728", points: history.map((r, i) => [x(r, i), r.testLoss]) },
  ]);
}

export type { Tensor };
