import { basename, dirname, join } from "node:path";
import { noGrad } from "@heed/autograd";
import { countParameters } from "@heed/nn";
import { checkAttentionOut, writeAttentionOut } from "./attention-out.js";
import { loadCheckpoint, type LoadedCheckpoint } from "./checkpoint.js";
import { checkModelShape, parseNumber, parseTask, type TrainConfig } from "./config.js";
import { formatConfusion } from "./confusion.js";
import { readDecodeFlags, type DecodeFlagValues } from "./decode-flags.js";
import { DEFAULT_MBR, MBR_BY_DEFAULT, type MbrOptions } from "./tasks/translate-mbr.js";
import type { KnnOptions } from "./tasks/translate-knn.js";
import { UsageError } from "./errors.js";
import { checkResumeConflicts, flagsToConfig, readTrainFlags } from "./flags.js";
import { findEarlierRun, removeEarlierRun, sameDirectory } from "./earlier-run.js";
import { heatmapTerminal } from "./heatmap.js";
import { heedCommand } from "./invocation.js";
import { checkOutDir, checkOutFile, estimateCheckpointBytes } from "./outdir.js";
import { answer, answerStream, formatAnswer, type Answer, type PredictFn } from "./predict.js";
import { HumanReporter, JsonReporter, type Reporter } from "./reporter.js";
import { withRecipe } from "./recipe.js";
import { SIGNAL_EXIT_CODES, StopRequest } from "./signals.js";
import { checkFlagsApply } from "./task-flags.js";
import { trainThreads } from "./threads.js";
import { TASK_DEFINITIONS } from "./tasks/index.js";
import type { TaskRuntime } from "./task.js";
import { train } from "./train.js";
import { heedPredictor, restore } from "./restore.js";

/** Options of `heed train` besides the value flags of TRAIN_FLAGS. */
export interface TrainRunOptions {
  out?: string;
  save?: boolean;
  resume?: string;
  overwrite?: boolean;
  json?: boolean;
}

/** `heed train`; resolves to the exit code (0, or 130/143 when a signal stopped the run). */
export async function runTrain(taskArg: string | undefined, opts: TrainRunOptions & Record<string, unknown>): Promise<number> {
  const flags = readTrainFlags(opts);
  if (opts.overwrite === true && opts.save === false) throw new UsageError("train: --overwrite replaces the run in --out, but --no-save writes nothing there");
  const overrides = flagsToConfig(flags);
  let resume: LoadedCheckpoint | null = null;
  let config: TrainConfig;
  if (opts.resume !== undefined) {
    resume = loadCheckpoint(opts.resume, "last");
    const saved = resume.config;
    if (taskArg !== undefined && taskArg !== saved.task) {
      throw new UsageError(`task '${taskArg}' conflicts with the run being resumed: ${resume.dir} holds a '${saved.task}' run`);
    }
    checkResumeConflicts(flags, saved, resume.dir);
    config = { ...saved, ...overrides };
  } else {
    config = withRecipe(TASK_DEFINITIONS[parseTask(taskArg)], flags.recipe, overrides);
  }
  checkModelShape(config);
  checkFlagsApply(flags, config);
  const str = (k: string) => opts[k] as string | undefined;
  const decode = readDecodeFlags("train", { decode: str("decode"), mbrSamples: str("mbrSamples"), mbrNeighbours: str("mbrNeighbours"), mbrEpsilon: str("mbrEpsilon"), mbrEvidence: str("mbrEvidence"), knnNeighbours: str("knnNeighbours"), knnLambda: str("knnLambda"), knnTemperature: str("knnTemperature") });
  const how = decode.knn ? `--decode ${decode.mbr ? "knn-mbr" : "knn"}` : "--decode mbr";
  if ((decode.mbr || decode.knn) && config.task !== "translate") throw new UsageError(`train: ${how} applies to translate (${decode.knn ? "kNN-MT" : "minimum Bayes-risk"} decoding), not to '${config.task}'`);
  if ((decode.mbr || decode.knn) && opts.save === false) throw new UsageError(`train: ${how} decodes the saved best/ checkpoint at the end of the run, so it needs one (not --no-save)`);
  const def = TASK_DEFINITIONS[config.task];
  // resuming `runs/g2p` or `runs/g2p/last` goes on writing to runs/g2p
  const resumeRun = resume === null ? undefined : /^(last|best)(\.new|\.old)?$/.test(basename(resume.dir)) ? dirname(resume.dir) : resume.dir;
  const out = opts.save === false ? null : (opts.out ?? resumeRun ?? join("runs", config.task));
  // --overwrite deletes a run in --out: the run being resumed can never be that run
  if (opts.overwrite === true && resumeRun !== undefined && (out === null || sameDirectory(out, resumeRun))) {
    throw new UsageError(`train: --overwrite starts a new run in --out, --resume continues one in ${out ?? resumeRun}: use one of them`);
  }
  if (out !== null) checkOutDir(out, estimateCheckpointBytes(config));
  if (out !== null && resume === null) startAfresh(out, opts.overwrite === true);
  if (out !== null && resumeRun !== undefined && !sameDirectory(out, resumeRun)) continueInto(out, resumeRun, resume!, opts.overwrite === true);
  const json = opts.json === true;
  const reporter: Reporter = json ? new JsonReporter() : new HumanReporter();
  const heed = heedCommand();
  const stop = new StopRequest((signal) => {
    // on a terminal, say at once that the signal was heard (the message event also ends the progress bar)
    const again = signal === "SIGINT" ? "Ctrl-C" : "the signal";
    if (!json && process.stderr.isTTY) reporter.emit({ event: "message", text: `heed: ${signal}: stopping after this step and saving (${again} again quits at once)` });
  })
    .listen()
    .stopOnClosedStdout();
  let result;
  try {
    result = await train(def, config, { out, resume, reporter, stop, saveEveryMinutes: flags.saveEvery ?? 1, threads: trainThreads() });
  } finally {
    stop.dispose();
    reporter.close();
  }
  if (stop.signal !== null) {
    const where = result.checkpoint === null ? "nothing saved (--no-save)" : `saved ${result.checkpoint}; resume: ${heed} train --resume ${out}; evaluate: ${heed} eval ${result.checkpoint}`;
    const cause = stop.signal === "SIGPIPE" ? "stdout closed (SIGPIPE)" : stop.signal;
    process.stderr.write(`heed: ${cause} at epoch ${result.epoch}, step ${result.step}: ${where}\n`);
    return SIGNAL_EXIT_CODES[stop.signal];
  }
  if (result.alreadyFinished !== undefined) return 0; // the done line said why; best/ was decoded when the run ended
  const endMbr = decode.mbr !== undefined ? decode.mbr : MBR_BY_DEFAULT && config.task === "translate" ? DEFAULT_MBR : null;
  if (out !== null && result.checkpoint !== null && (endMbr !== null || decode.knn)) endOfRunDecode(out, { mbr: endMbr, knn: decode.knn ?? null }, config.evalSize, json);
  if (out !== null && !json && config.task !== "seed") process.stdout.write(`try: ${heed} predict ${out} ${examplesFor(config.task)}\n`);
  return 0;
}

/**
 * A new run never lands on an earlier one: with checkpoints of both in one directory, `eval` and
 * `predict` could load the other run's `best/`. Without `--overwrite` it stops and names the two ways
 * on; with it, the earlier run's own entries go (nothing else in the directory).
 */
function startAfresh(out: string, overwrite: boolean): void {
  const earlier = findEarlierRun(out);
  if (earlier === null) return;
  if (!overwrite) {
    const heed = heedCommand();
    throw new UsageError(`train: --out ${out} already holds ${earlier.what}; continue it with '${heed} train --resume ${out}', or start over there with --overwrite (deletes it), or choose another --out`);
  }
  removeEarlierRun(out, earlier);
}

/**
 * `--resume A --out B` with B another directory: A's continuation is written to B (A stays as it
 * was). Into an empty B (or one holding only what is not a run's, such as `onnx/`) it goes ahead;
 * a run already in B — another run, or an earlier continuation of A that has gone further than A —
 * would be overwritten checkpoint by checkpoint, so it stops as a fresh run would, unless
 * `--overwrite` deletes B's run first.
 */
function continueInto(out: string, resumeRun: string, resume: LoadedCheckpoint, overwrite: boolean): void {
  const earlier = findEarlierRun(out, { history: resume.trainer.history, dir: resumeRun });
  if (earlier === null) return;
  if (!overwrite) {
    const heed = heedCommand();
    throw new UsageError(
      `train: --out ${out} already holds ${earlier.what}, which resuming ${resumeRun} there would overwrite; continue that one with '${heed} train --resume ${out}', or replace it with --overwrite (deletes it), or choose another --out`,
    );
  }
  removeEarlierRun(out, earlier);
}

/** `heed train translate --decode mbr|knn|knn-mbr`: best/ decoded that way on the test split (the epoch lines decode greedily). */
function endOfRunDecode(out: string, d: { mbr: MbrOptions | null; knn: KnnOptions | null }, evalSize: number, json: boolean): void {
  const { rt, ckpt } = restore(join(out, "best"), d, "train");
  const result = noGrad(() => rt.evaluate("test", evalSize));
  const epoch = ckpt.trainer.epoch;
  const { mbr, knn } = d;
  const decode = knn === null ? "mbr" : mbr === null ? "knn" : "knn-mbr";
  if (json) process.stdout.write(JSON.stringify({ event: "decode", decode, ...(mbr === null ? {} : { mbr }), ...(knn === null ? {} : { knn }), checkpoint: ckpt.dir, epoch, testLoss: result.loss, metrics: result.metrics }) + "\n");
  else {
    const parts = [
      ...(mbr === null ? [] : [`MBR (${mbr.samples} samples, ${mbr.neighbours} neighbours, epsilon ${mbr.epsilon}${mbr.evidence === undefined || mbr.evidence === "samples" ? "" : `, evidence ${mbr.evidence}`})`]),
      ...(knn === null ? [] : [`kNN-MT (${knn.k} neighbours, lambda ${knn.lambda}, temperature ${knn.temperature})`]),
    ];
    process.stdout.write(`best/ (epoch ${epoch}) decoded with ${parts.join(" over ")}: ${lossAndMetrics(rt, result.loss, result.metrics)}\n`);
  }
}

function examplesFor(task: string): string {
  return task === "g2p" ? "attention transformer heed" : task === "forecast" ? "2020-06 2021-01" : task === "digits" ? "test:0 test:1 test:2" : '"red heart"';
}

/** `Test Loss: x` followed by the task's metrics, if it has any. */
function lossAndMetrics(rt: TaskRuntime, loss: number, metrics: Record<string, number>, sep = ": ", label = "Test Loss"): string {
  const m = rt.formatMetrics(metrics);
  return `${label}${sep}${loss.toFixed(4)}${m === "" ? "" : `, ${m}`}`;
}

export const EVAL_SPLITS = ["test", "valid"] as const;

export function runEval(path: string, opts: { limit?: string; json?: boolean; split?: string } & DecodeFlagValues): void {
  const limit = opts.limit === undefined ? 0 : parseNumber("--limit", opts.limit, { integer: true, min: 0 });
  const split = opts.split ?? "test";
  if (!(EVAL_SPLITS as readonly string[]).includes(split)) throw new UsageError(`eval: invalid value for --split: '${split}'; choose one of ${EVAL_SPLITS.join(", ")}`);
  exitOnClosedPipe();
  const { rt, config } = restore(path, readDecodeFlags("eval", opts), "eval");
  if (limit > 0 && config.task === "seed") throw new UsageError(`eval: --limit does not apply to the 'seed' task: it always evaluates its whole test split`);
  const result = noGrad(() => rt.evaluate(split as (typeof EVAL_SPLITS)[number], limit));
  if (opts.json === true) {
    process.stdout.write(JSON.stringify({ task: config.task, ...(split === "test" ? {} : { split }), loss: result.loss, metrics: result.metrics, confusion: result.confusion, report: result.report }) + "\n");
    return;
  }
  process.stdout.write(`${config.task} ${split === "valid" ? "validation" : "test"} split: ${lossAndMetrics(rt, result.loss, result.metrics, ": ", split === "valid" ? "Validation Loss" : "Test Loss")}\n`);
  if (result.report !== undefined) process.stdout.write(`${result.report}\n`);
  if (result.confusion !== undefined) process.stdout.write(formatConfusion(result.confusion) + "\n");
}

/** End quietly when the reader of stdout goes away (`heed predict … | head -3`, `heed eval … | head -1`). */
function exitOnClosedPipe(): void {
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(0);
    throw e;
  });
}

/**
 * `heed predict`: a Unix filter over stdin (one output line per input line, in order, written as
 * soon as it is ready), or the arguments. Failed inputs are reported on stderr and make the exit
 * code 1; the others are still answered.
 */
export async function runPredict(path: string, inputs: string[], opts: { json?: boolean; engine?: string; threads?: string } & DecodeFlagValues): Promise<number> {
  const engine = opts.engine ?? "heed";
  if (engine !== "heed" && engine !== "ort") throw new UsageError(`predict: --engine must be 'heed' or 'ort', got '${engine}'`);
  const decode = readDecodeFlags("predict", opts);
  if (engine === "ort" && decode.mbr) throw new UsageError("predict: --decode mbr runs on the heed engine only (--engine ort decodes greedy or beam search)");
  if (engine === "ort" && decode.knn) throw new UsageError("predict: --decode knn runs on the heed engine only (--engine ort decodes greedy or beam search)");
  const json = opts.json === true;
  exitOnClosedPipe();
  // the ONNX path (and @heed/onnx, onnxruntime-node) is loaded only when asked for
  const predict: PredictFn = engine === "ort" ? await (await import("./export-commands.js")).ortPredictor(path, Number(opts.threads ?? 1), decode.beam) : heedPredictor(path, decode);
  let failed = 0;
  const bare = inputs.length === 1 && !json; // one argument: just the output
  const emit = (a: Answer, n: number, label: string) => {
    if ("error" in a) {
      failed++;
      process.stderr.write(`heed predict: ${label === "" ? "" : `${label} ${n}: `}${a.error}\n`);
      if (!bare) process.stdout.write(formatAnswer(a, json) + "\n");
    } else process.stdout.write((bare ? a.output : formatAnswer(a, json)) + "\n");
  };
  if (inputs.length === 1) (await answer(predict, inputs)).forEach((a) => emit(a, 0, ""));
  else if (inputs.length > 1) (await answer(predict, inputs)).forEach((a, i) => emit(a, i + 1, "argument"));
  else await answerStream(predict, process.stdin, (a, n) => emit(a, n, "line"));
  return failed > 0 ? 1 : 0;
}

export function runAttention(path: string, input: string, opts: { out?: string }): void {
  const { rt, config } = restore(path);
  if (rt.attention === undefined) throw new UsageError(`attention: the '${config.task}' task has no attention maps to show`);
  if (input.trim() === "") throw new UsageError("attention: empty input");
  if (opts.out !== undefined) {
    checkAttentionOut(opts.out);
    checkOutFile(opts.out, "the attention map");
  }
  exitOnClosedPipe();
  const maps = noGrad(() => {
    try {
      return rt.attention!(input);
    } catch (e) {
      // a task's input errors carry predict's prefix (`predict: 'x' is longer than 40 letters`)
      if (e instanceof UsageError) throw new UsageError(e.message.replace(/^predict: /, "attention: "));
      throw e;
    }
  });
  process.stdout.write(heatmapTerminal(maps) + "\n");
  if (opts.out !== undefined) {
    writeAttentionOut(opts.out, maps);
    process.stdout.write(`wrote ${opts.out}\n`);
  }
}

export function runInfo(path: string, opts: { json?: boolean }): void {
  exitOnClosedPipe();
  const { rt, config, ckpt } = restore(path);
  const params = countParameters(rt.model);
  const lastRec = ckpt.trainer.history.at(-1);
  if (opts.json === true) {
    process.stdout.write(JSON.stringify({ checkpoint: ckpt.dir, task: config.task, parameters: params, config, step: ckpt.trainer.step, metrics: lastRec ?? null }) + "\n");
    return;
  }
  const lines = [
    `checkpoint: ${ckpt.dir}`,
    `task:       ${config.task}`,
    `parameters: ${params.toLocaleString("en-US")}`,
    `trained:    ${ckpt.trainer.step} steps (epoch ${ckpt.trainer.epoch}, batch ${ckpt.trainer.batchInEpoch}), ${ckpt.trainer.elapsedSeconds.toFixed(0)} s`,
    `config:     ${Object.entries(config).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join("->") : String(v)}`).join(" ")}`,
    lastRec ? `metrics:    epoch ${lastRec.epoch}: ${lossAndMetrics(rt, lastRec.testLoss, lastRec.metrics, " ")}` : "metrics:    none yet",
    "",
    rt.model.summary(),
  ];
  process.stdout.write(lines.join("\n") + "\n");
}
