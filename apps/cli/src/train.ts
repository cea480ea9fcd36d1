import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { noGrad } from "@heed/autograd";
import { Adam, AdamW, LambdaLR, clipGradNorm, countParameters, packOptimizerState, unpackOptimizerState, warmupInverseSqrt, type Module } from "@heed/nn";
import { Generator } from "@heed/tensor-core";
import { recoverRun, saveCheckpoint, type LoadedCheckpoint } from "./checkpoint.js";
import type { TrainConfig } from "./config.js";
import { RuntimeError, UsageError } from "./errors.js";
import { writeTextAtomic } from "./files.js";
import { trainStepper } from "./parallel/index.js";
import { RateMeter } from "./rate.js";
import type { Reporter, StopReason } from "./reporter.js";
import type { StopRequest } from "./signals.js";
import { lineChartSvg } from "./svg.js";
import type { TaskDefinition, TaskRuntime } from "./task.js";
import { finishRefitCopy, finishedRun, refitFinished, reopenPhase1, type Finished } from "./train-finished.js";
import { refitPhase as runRefit, type RefitOutcome } from "./train-refit.js";
import { TASK_DEFINITIONS } from "./tasks/index.js";
import { freshTrainerState, type EpochRecord, type TrainerState } from "./trainer-state.js";

export type { EpochRecord } from "./trainer-state.js";

export interface TrainOptions {
  out: string | null;
  resume: LoadedCheckpoint | null;
  reporter: Reporter;
  /**
   * Set by SIGINT/SIGTERM: stop at the next step boundary, save `last/`, skip the evaluation (default: never).
   * `dispose()` is called when the loop sees the stop, before that save, so a further signal ends the process at once.
   */
  stop?: Pick<StopRequest, "stopped" | "signal" | "dispose">;
  /** Save `last/` every this many minutes of training as well (default 0 = only at epoch ends and at the end). */
  saveEveryMinutes?: number;
  /**
   * Internal: this run is phase 2 of `--refit on` (`refitPhase`): no validation pass, no
   * `best/` of its own, no phase 2 after it.
   */
  refitPhase?: boolean;
  /** `--threads`: data-parallel replicas for tasks that split batches, else kernel threads (default 1; see parallel/index.ts). */
  threads?: number;
}

export interface TrainResult {
  last: EpochRecord | null;
  stopped: StopReason;
  epoch: number;
  step: number;
  /** the `last/` checkpoint holding the final state, or null without --out */
  checkpoint: string | null;
  /** what phase 2 of `--refit on` did (null: off, or it did not start) */
  refit: RefitOutcome | null;
  /** set when `--resume` found the run already finished: nothing was trained (nor saved) */
  alreadyFinished?: Finished;
}

const REFIT_TASKS = Object.values(TASK_DEFINITIONS).filter((d) => d.refit === true).map((d) => d.name).join(", ");

/** A loss this many times the run's first batch loss (or a non-finite one) stops the run. */
export const DIVERGENCE_FACTOR = 100;

/** Let pending events (signals) run: the training loop is synchronous between these points. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export async function train(def: TaskDefinition, config: TrainConfig, options: TrainOptions): Promise<TrainResult> {
  const { reporter, out, resume } = options;
  const stop = options.stop ?? { stopped: false, signal: null, dispose: () => {} };
  const refitPhase = options.refitPhase === true;
  if (out !== null && !refitPhase) recoverRun(out); // a run killed mid-save: finish or undo every save it cut short
  if (config.refit === true && def.refit !== true) throw new UsageError(`train: --refit on needs a task that can train on its validation split (${REFIT_TASKS}); '${def.name}' cannot`);
  // a resumed run that has already ended trains nothing, unless phase 2 of --refit on is still to run
  const finished = resume !== null && !refitPhase ? finishedRun(resume.trainer, config) : null;
  const refitPending = finished !== null && config.refit === true && (finished.reason === "epochs" || finished.reason === "patience") && out !== null && !refitFinished(out);
  if (finished !== null && !refitPending) {
    if (config.refit === true && out !== null) finishRefitCopy(out); // a kill between phase 2's two copies
    return alreadyFinished(resume!, finished, out, reporter);
  }
  if (resume !== null && finished === null && config.refit === true && out !== null) reopenPhase1(out);
  const dropoutRng = new Generator(config.seed);
  const rt: TaskRuntime = def.create(config, dropoutRng, resume?.vocab);
  const model = rt.model;
  const optimizer = makeOptimizer(model, config);
  // the Transformer's warm-up + inverse-square-root schedule (Vaswani et al. 2017), peaking at --lr
  // (or the task's own schedule; LambdaLR's epoch n is optimizer step n + 1)
  const taskLr = rt.learningRate?.bind(rt);
  const factor = taskLr !== undefined ? (n: number) => taskLr(n + 1) / config.lr : config.warmup > 0 ? warmupInverseSqrt(config.warmup) : () => 1;
  const scheduler = new LambdaLR(optimizer, factor);
  let state: TrainerState = freshTrainerState();
  if (resume !== null) {
    model.loadStateDict(resume.model, { strict: true });
    if (resume.optimizer === null) throw new RuntimeError(`cannot resume from ${resume.dir}: it has no optimizer.safetensors`);
    optimizer.loadStateDict(unpackOptimizerState(resume.optimizer, resume.optimizerMeta));
    state = structuredClone(resume.trainer);
    scheduler.loadStateDict(state.schedule ?? { lastEpoch: state.step, baseLrs: [config.lr] });
  }
  reporter.emit({ event: "start", task: def.name, parameters: countParameters(model), config: { ...config }, trainSize: rt.trainSize, testSize: rt.testSize });

  if (out !== null) mkdirSync(out, { recursive: true });
  const started = Date.now() - state.elapsedSeconds * 1000;
  const budgetMs = config.maxMinutes * 60_000;
  const saveEveryMs = (options.saveEveryMinutes ?? 0) * 60_000;
  let stopped: StopReason = finished?.reason ?? "epochs";
  const patience = config.patience ?? 0;
  let last: EpochRecord | null = state.history.at(-1) ?? null;
  let savedStep = resume !== null ? state.step : -1;
  let savedAt = Date.now();

  const save = (kind: "best" | "last") => {
    if (out === null) return;
    const t0 = performance.now();
    const opt = packOptimizerState(optimizer.stateDict());
    const trainer: TrainerState = { ...state, elapsedSeconds: (Date.now() - started) / 1000, schedule: scheduler.stateDict() };
    saveCheckpoint(join(out, kind), { model: model.stateDict(), optimizer: opt.tensors, optimizerMeta: opt.metadata, config: { ...config }, vocab: rt.vocab(), trainer });
    if (kind === "last") {
      savedStep = state.step;
      savedAt = Date.now();
    }
    reporter.emit({ event: "checkpoint", path: join(out, kind), kind, step: state.step, seconds: (performance.now() - t0) / 1000 });
  };

  const evaluateEpoch = (epochDone: boolean): EpochRecord => {
    model.eval();
    const test = noGrad(() => rt.evaluate("test", config.evalSize));
    // phase 2 of --refit trains on the validation split: it reads no validation score
    const valid = refitPhase ? { loss: Number.NaN, score: Number.NaN } : noGrad(() => validate(rt));
    model.train();
    const loss = state.runningCount > 0 ? state.runningLoss / state.runningCount : Number.NaN;
    const rec: EpochRecord = { epoch: state.epoch, step: state.step, loss, testLoss: test.loss, validLoss: valid.loss, ...(valid.score === valid.loss ? {} : { validScore: valid.score }), metrics: test.metrics, seconds: (Date.now() - started) / 1000 };
    const partial = epochDone ? "" : ` (stopped after ${state.batchInEpoch} batches)`;
    const metricText = rt.formatMetrics(test.metrics);
    const line = `${refitPhase ? "Refit epoch" : "Epoch"} ${state.epoch}/${config.epochs}, Loss: ${fmt(loss)}, Test Loss: ${fmt(test.loss)}${metricText ? `, ${metricText}` : ""}${partial}`;
    reporter.emit({ event: "epoch", epoch: state.epoch, epochs: config.epochs, loss, testLoss: test.loss, metrics: test.metrics, seconds: rec.seconds, line });
    state.history.push(rec);
    if (out !== null) {
      writeTextAtomic(join(out, "metrics.jsonl"), state.history.map((r) => JSON.stringify(r)).join("\n") + "\n");
      writeTextAtomic(join(out, "loss.svg"), lossCurve(def.name, state.history));
    }
    // best = the best validation score (the test split never picks a checkpoint nor stops a run)
    if (refitPhase) return rec;
    if (state.best === null || (rt.selection.higherIsBetter ? valid.score > state.best : valid.score < state.best)) {
      state.best = valid.score;
      state.sinceBest = 0;
      save("best");
    } else {
      state.sinceBest += 1;
    }
    return rec;
  };

  const diverged = (loss: number): RuntimeError => {
    const first = state.firstLoss === null ? "" : ` (the first batch's was ${fmt(state.firstLoss)})`;
    const kept = out === null ? "" : savedStep >= 0 ? `; the last good checkpoint is ${join(out, "last")} (step ${savedStep})` : "; no checkpoint was saved";
    return new RuntimeError(`training diverged at epoch ${state.epoch}, step ${state.step + 1}: loss ${loss}${first}; try a lower --lr than ${config.lr}${kept}`);
  };

  const stepper = await trainStepper(rt, dropoutRng, config, options.threads ?? 1);
  const rate = new RateMeter();
  rate.start();
  model.train();
  outer: while (finished === null && state.epoch <= config.epochs) {
    const batches = rt.batches(state.epoch);
    for (let b = state.batchInEpoch; b < batches.length; b++) {
      await yieldToEventLoop();
      if (stop.stopped) {
        stop.dispose(); // every signal queued with the first has been handled by now: a further one ends the process, even mid-save
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
      const l = await stepper.lossAndGrads(batch, state.step); // the batch's gradient on `model`, dropout seeded from the step
      if (!Number.isFinite(l) || (state.firstLoss !== null && l > DIVERGENCE_FACTOR * state.firstLoss)) throw diverged(l);
      state.firstLoss ??= l;
      clipGradNorm(model.parameters(), 1.0);
      optimizer.step(); // no zeroGrad: the next step replaces the gradients and reuses their storage (Replica.compute)
      scheduler.step();
      state.runningLoss += l;
      state.runningCount += 1;
      state.step += 1;
      state.batchInEpoch = b + 1;
      const examplesPerSecond = rate.add(rt.batchSize(batch));
      reporter.emit({ event: "step", epoch: state.epoch, step: b + 1, steps: batches.length, loss: state.runningLoss / state.runningCount, examplesPerSecond });
      if (saveEveryMs > 0 && Date.now() - savedAt >= saveEveryMs && b + 1 < batches.length) save("last");
    }
    save("last"); // the evaluation is long and holds off signals: whatever ends it loses no training
    last = evaluateEpoch(true);
    state.epoch += 1;
    state.batchInEpoch = 0;
    state.runningLoss = 0;
    state.runningCount = 0;
    save("last");
    if (patience > 0 && state.sinceBest >= patience) {
      stopped = "patience";
      break;
    }
  }
  await stepper.close();
  if (stopped === "interrupt") {
    if (state.step !== savedStep) save("last"); // no evaluation: the user asked to stop now
  } else if (stopped !== "epochs" && state.batchInEpoch > 0) {
    save("last"); // first the state, as at an epoch end
    last = evaluateEpoch(false);
    save("last");
  }
  let refit: RefitOutcome | null = null;
  if (config.refit === true && !refitPhase && (stopped === "epochs" || stopped === "patience")) {
    const ctx = { out, reporter, stop, threads: options.threads ?? 1, saveEveryMinutes: options.saveEveryMinutes ?? 0, history: state.history, selection: rt.selection, started };
    refit = await runRefit(def, config, ctx, train);
    if (refit?.stopped === "epochs") last = refit.last;
    if (refit?.stopped === "interrupt") stopped = "interrupt";
  }
  const refitDone = refit?.stopped === "epochs" ? { refit: { epochs: refit.epochs, examples: refit.examples } } : {};
  reporter.emit({ event: "done", metrics: last?.metrics ?? {}, seconds: (Date.now() - started) / 1000, out, stopped, signal: stop.signal, ...refitDone });
  return { last, stopped, epoch: state.epoch, step: state.step, checkpoint: out === null ? null : join(out, "last"), refit };
}

/** `--resume` of a run that has ended: one `done` event saying why, nothing trained or saved. */
function alreadyFinished(resume: LoadedCheckpoint, finished: Finished, out: string | null, reporter: Reporter): TrainResult {
  const s = resume.trainer;
  const last = s.history.at(-1) ?? null;
  const where = { epoch: last?.epoch ?? s.epoch, step: s.step, why: finished.why, more: finished.more };
  reporter.emit({ event: "done", metrics: last?.metrics ?? {}, seconds: s.elapsedSeconds, out, stopped: finished.reason, signal: null, alreadyFinished: where });
  return { last, stopped: finished.reason, epoch: s.epoch, step: s.step, checkpoint: out === null ? null : join(out, "last"), refit: null, alreadyFinished: finished };
}

/**
 * The trainer's optimizer: Adam (β 0.9, 0.98, ε 1e-9), or AdamW with the same settings when
 * `weightDecay` > 0 (decoupled decay of every parameter, θ ← θ·(1 − lr·λ) before the Adam update).
 */
export function makeOptimizer(model: Module, config: Pick<TrainConfig, "lr" | "weightDecay">): Adam {
  const options = { lr: config.lr, betas: [0.9, 0.98] as [number, number], eps: 1e-9 };
  const wd = config.weightDecay ?? 0;
  return wd > 0 ? new AdamW(model.parameters(), { ...options, weightDecay: wd }) : new Adam(model.parameters(), options);
}

/**
 * The validation pass that picks `best/` (and drives --patience): the task's selection metric on
 * the validation split. For `validLoss` it is a loss-only pass (nothing decoded).
 */
export function validate(rt: TaskRuntime): { loss: number; score: number } {
  const { metric } = rt.selection;
  if (metric === "validLoss") {
    const { loss } = rt.evaluate("valid", 0, { lossOnly: true });
    return { loss, score: loss };
  }
  const { loss, metrics } = rt.evaluate("valid", 0);
  const score = metrics[metric];
  if (score === undefined) throw new RuntimeError(`train: the task's selection metric '${metric}' is not among its validation metrics (${Object.keys(metrics).join(", ")})`);
  return { loss, score };
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
