import { createInterface } from "node:readline";
import { join } from "node:path";
import { noGrad } from "@heed/autograd";
import { Generator } from "@heed/tensor-core";
import { loadCheckpoint, type LoadedCheckpoint } from "./checkpoint.js";
import { checkModelShape, flagsToConfig, parseNumber, parseTask, type TrainConfig, type TrainFlags } from "./config.js";
import { RuntimeError, UsageError } from "./errors.js";
import { heatmapTerminal } from "./heatmap.js";
import { HumanReporter, JsonReporter, type Reporter } from "./reporter.js";
import { heatmapsSvg } from "./svg.js";
import { TASK_DEFINITIONS } from "./tasks/index.js";
import type { TaskRuntime } from "./task.js";
import { train } from "./train.js";
import { writeTextAtomic } from "./files.js";

type Opts = Record<string, unknown>;

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

export async function runTrain(taskArg: string, opts: Opts): Promise<void> {
  const flags: TrainFlags = {
    epochs: str(opts.epochs), batchSize: str(opts.batchSize), lr: str(opts.lr), seed: str(opts.seed),
    dModel: str(opts.dModel), heads: str(opts.heads), layers: str(opts.layers), ff: str(opts.ff),
    dropout: str(opts.dropout), maxMinutes: str(opts.maxMinutes), maxSteps: str(opts.maxSteps), warmup: str(opts.warmup),
    labelSmoothing: str(opts.labelSmoothing), attention: str(opts.attention), evalSize: str(opts.evalSize),
    beam: str(opts.beam), from: str(opts.from), to: str(opts.to),
  };
  const overrides = flagsToConfig(flags);
  let resume: LoadedCheckpoint | null = null;
  let config: TrainConfig;
  const resumeDir = str(opts.resume);
  if (resumeDir !== undefined) {
    resume = loadCheckpoint(resumeDir, "last");
    const saved = resume.config as unknown as TrainConfig;
    if (taskArg !== "g2p" && taskArg !== saved.task) throw new UsageError(`--resume ${resumeDir} holds a '${saved.task}' run, not '${taskArg}'`);
    // only the budget may change when resuming; everything else comes from the checkpoint
    config = { ...saved, ...pick(overrides, ["epochs", "maxMinutes", "maxSteps", "evalSize"]) };
  } else {
    const task = parseTask(taskArg);
    const def = TASK_DEFINITIONS[task];
    config = { ...def.defaults, ...overrides, task };
  }
  checkModelShape(config);
  const def = TASK_DEFINITIONS[config.task];
  const out = opts.save === false ? null : (str(opts.out) ?? resumeDir ?? join("runs", config.task));
  const reporter: Reporter = opts.json === true ? new JsonReporter() : new HumanReporter();
  const stopSignal = { stop: false };
  const onSigint = () => {
    if (stopSignal.stop) process.exit(130);
    stopSignal.stop = true;
    if (opts.json !== true) process.stderr.write("\nheed: interrupted — saving the last checkpoint (Ctrl-C again to quit now)\n");
  };
  process.on("SIGINT", onSigint);
  try {
    await train(def, config, { out, resume, reporter, stopSignal });
  } finally {
    process.off("SIGINT", onSigint);
    reporter.close();
  }
  if (out !== null && opts.json !== true && config.task !== "seed") {
    process.stdout.write(`try: heed predict ${out} ${examplesFor(config.task)}\n`);
  }
}

function pick<T extends object, K extends keyof T>(o: T, keys: K[]): Partial<T> {
  const r: Partial<T> = {};
  for (const k of keys) if (o[k] !== undefined) r[k] = o[k];
  return r;
}

function examplesFor(task: string): string {
  return task === "g2p" ? "attention transformer heed" : task === "forecast" ? "2020-06 2021-01" : '"red heart"';
}

/** Rebuild a task runtime with a checkpoint's weights, ready for inference. */
function restore(path: string): { rt: TaskRuntime; config: TrainConfig; ckpt: LoadedCheckpoint } {
  const ckpt = loadCheckpoint(path, "best");
  const config = ckpt.config as unknown as TrainConfig;
  const def = TASK_DEFINITIONS[config.task];
  if (def === undefined) throw new RuntimeError(`checkpoint ${ckpt.dir} is for an unknown task '${String(config.task)}'`);
  const rt = def.create(config, new Generator(config.seed), ckpt.vocab);
  try {
    rt.model.loadStateDict(ckpt.model, { strict: true });
  } catch (e) {
    throw new RuntimeError(`checkpoint ${ckpt.dir} does not match its config: ${(e as Error).message}`);
  }
  rt.model.eval();
  return { rt, config, ckpt };
}

export function runEval(path: string, opts: Opts): void {
  const limitFlag = str(opts.limit);
  const limit = limitFlag === undefined ? 0 : parseNumber("--limit", limitFlag, { integer: true, min: 0 });
  const { rt, config } = restore(path);
  const result = noGrad(() => rt.evaluate("test", limit));
  if (opts.json === true) process.stdout.write(JSON.stringify({ task: config.task, loss: result.loss, metrics: result.metrics, report: result.report }) + "\n");
  else process.stdout.write(`${config.task} test split: Test Loss: ${result.loss.toFixed(4)}, ${rt.formatMetrics(result.metrics)}\n${result.report === undefined ? "" : `${result.report}\n`}`);
}

async function readStdinLines(): Promise<string[]> {
  const lines: string[] = [];
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of rl) if (line.trim() !== "") lines.push(line.trim());
  return lines;
}

export async function runPredict(path: string, inputs: string[], opts: Opts): Promise<void> {
  const { rt } = restore(path);
  const list = inputs.length > 0 ? inputs : await readStdinLines();
  if (list.length === 0) throw new UsageError("predict: no input (give inputs as arguments or one per line on stdin)");
  const outputs = noGrad(() => rt.predict(list));
  list.forEach((input, i) => {
    if (opts.json === true) process.stdout.write(JSON.stringify({ input, output: outputs[i] }) + "\n");
    else process.stdout.write(list.length === 1 ? `${outputs[i]}\n` : `${input}\t${outputs[i]}\n`);
  });
}

export function runAttention(path: string, input: string, opts: Opts): void {
  const { rt, config } = restore(path);
  if (rt.attention === undefined) throw new UsageError(`attention: the '${config.task}' task has no attention maps to show`);
  if (input.trim() === "") throw new UsageError("attention: empty input");
  const maps = noGrad(() => rt.attention!(input));
  process.stdout.write(heatmapTerminal(maps) + "\n");
  const out = str(opts.out);
  if (out !== undefined) {
    if (!out.endsWith(".svg")) throw new UsageError(`attention: --out must name an .svg file, got '${out}'`);
    writeTextAtomic(out, heatmapsSvg(maps.panels, maps.rows, maps.cols));
    process.stdout.write(`wrote ${out}\n`);
  }
}

export function runInfo(path: string, opts: Opts): void {
  const { rt, config, ckpt } = restore(path);
  const params = rt.model.parameters().reduce((n, p) => n + p.size, 0);
  const history = (ckpt.trainer.history as { epoch: number; metrics: Record<string, number>; testLoss: number }[] | undefined) ?? [];
  const lastRec = history.at(-1);
  if (opts.json === true) {
    process.stdout.write(JSON.stringify({ checkpoint: ckpt.dir, task: config.task, parameters: params, config, metrics: lastRec ?? null }) + "\n");
    return;
  }
  const lines = [
    `checkpoint: ${ckpt.dir}`,
    `task:       ${config.task}`,
    `parameters: ${params.toLocaleString("en-US")}`,
    `trained:    ${String(ckpt.trainer.step)} steps, ${Number(ckpt.trainer.elapsedSeconds).toFixed(0)} s`,
    `config:     ${Object.entries(config).filter(([k]) => k !== "checkpointFormat").map(([k, v]) => `${k}=${Array.isArray(v) ? v.join("->") : String(v)}`).join(" ")}`,
    lastRec ? `metrics:    epoch ${lastRec.epoch}: Test Loss ${lastRec.testLoss.toFixed(4)}, ${rt.formatMetrics(lastRec.metrics)}` : "metrics:    none yet",
    "",
    rt.model.summary(),
  ];
  process.stdout.write(lines.join("\n") + "\n");
}

