#!/usr/bin/env node
import { Command, CommanderError } from "commander";
import { UsageError } from "./errors.js";
import { runAttention, runEval, runInfo, runPredict, runTrain, type TrainRunOptions } from "./commands.js";
import { DECODE_OPTIONS, type DecodeFlagValues } from "./decode-flags.js";
import { RESUMABLE_FLAGS, flagName, trainOptions } from "./flags.js";
import { useThreads } from "./threads.js";

const VERSION = "0.0.0";

const ON_RESUME = `On --resume the model and data come from the checkpoint: a model or data flag with another
value is a usage error. These may change on resume:
  ${[...RESUMABLE_FLAGS.map(flagName), "--out", "--no-save", "--json", "--threads", "--verbose"].join(", ")}
A run that has already ended (its epochs, --patience, --max-steps or --max-minutes) trains
nothing on --resume and says why, unless one of those limits is raised.
SIGINT (Ctrl-C) or SIGTERM stops at the next step, saves last/ and exits 130 or 143 (a closed
stdout: 141); a second signal quits at once. A loss that turns non-finite or exceeds 100x
the first one stops with exit 1.`;

const ATTENTION_MAPS = `Maps: g2p and translate show the decoder's cross-attention (rows: output tokens, columns:
input letters or words) for every layer and head; classify and forecast every self-attention
layer and head plus the attention pooling; seed the softmax weights over the input features
(--attention feature) or each attention layer's weights.`;

function build(): Command {
  const program = new Command("heed")
    .description("Train, evaluate, run and look inside attention models.")
    .version(VERSION)
    .option("--verbose", "print stack traces on errors")
    .option("--threads <n>", "threads (default 1): data-parallel replicas for `train` (g2p and translate), else threads of the WebAssembly kernels")
    .hook("preAction", (cmd, action) => useThreads(cmd.opts<{ threads?: string }>().threads, action.name()))
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ writeErr: () => {}, outputError: () => {} });

  const trainCmd = program
    .command("train")
    .description("train a model: g2p (default), translate, classify, forecast, seed or digits")
    .argument("[task]", "task to train (default g2p)");
  for (const o of trainOptions()) trainCmd.addOption(o);
  trainCmd
    .option("--out <dir>", "checkpoint directory (default runs/<task>)")
    .option("--no-save", "do not write checkpoints")
    .option("--resume <dir>", "continue a run from its last checkpoint")
    .option("--overwrite", "start over in an --out that holds an earlier run, or resume into another run's --out (deletes that run's checkpoints)")
    .option("--json", "print one JSON object per event (NDJSON)")
    .option(DECODE_OPTIONS[0]![0], "translate: mbr, knn or knn-mbr also decodes best/ that way on the test split at the end (the epoch lines decode greedily)")
    .addHelpText("after", `\n${ON_RESUME}`);
  for (const [flags, text] of DECODE_OPTIONS.slice(1)) trainCmd.option(flags, text);
  trainCmd.action(async (task: string | undefined, opts: TrainRunOptions & Record<string, unknown>) => {
    process.exitCode = await runTrain(task, opts);
  });

  const evalCmd = program
    .command("eval")
    .description("metrics on the test split")
    .argument("<checkpoint>", "run or checkpoint directory")
    .option("--limit <n>", "decode and score at most this many test examples (0 = all); the test loss always covers the whole split")
    .option("--json", "print the result as JSON")
    .option("--split <name>", "test (default) or valid: the validation split, which chooses recipes (the test split only reports)")
    .option("--beam <n>", "g2p, translate: beam width (default: the checkpoint's --beam; 1 = greedy)");
  for (const [flags, text] of DECODE_OPTIONS) evalCmd.option(flags, text);
  evalCmd.action((ckpt: string, opts: { limit?: string; json?: boolean; split?: string } & DecodeFlagValues) => runEval(ckpt, opts));

  const predictCmd = program
    .command("predict")
    .description("run a trained model: one result per input line of stdin (input<TAB>output), or for the arguments")
    .argument("<checkpoint>", "run or checkpoint directory")
    .argument("[input...]", "inputs, e.g. words for g2p (one argument prints just its output)")
    .option("--json", 'one JSON object per input: {"input", "output"} or {"input", "error"}')
    .option("--engine <name>", "heed (default) or ort: run an exported model (or a checkpoint, exported in memory) on onnxruntime-node")
    .option("--beam <n>", "g2p, translate: beam width (default: the checkpoint's --beam; 1 = greedy)");
  for (const [flags, text] of DECODE_OPTIONS) predictCmd.option(flags, text);
  predictCmd.action(async (ckpt: string, inputs: string[], opts: { json?: boolean; engine?: string } & DecodeFlagValues) => {
    process.exitCode = await runPredict(ckpt, inputs, { ...opts, threads: program.opts<{ threads?: string }>().threads });
  });

  program
    .command("export")
    .description("write the model as ONNX files plus a heed-onnx.json sidecar, for ONNX Runtime (every task)")
    .argument("<checkpoint>", "run or checkpoint directory")
    .option("--out <dir>", "output directory (default <checkpoint>/onnx)")
    .option("--attention <kind>", "multi-head attention as composed standard ops (default, opset 17), ort-mha (com.microsoft.MultiHeadAttention) or onnx-attention (opset 23 Attention)")
    .action(async (ckpt: string, opts: Record<string, unknown>) => (await import("./export-commands.js")).runExport(ckpt, opts));

  program
    .command("attention")
    .description("show the attention weights of each layer and head for one input")
    .argument("<checkpoint>", "run or checkpoint directory")
    .argument("<input>", "one input, e.g. a word")
    .option("--out <file>", "also write the heatmaps to a .png or .svg file")
    .addHelpText("after", `\n${ATTENTION_MAPS}`)
    .action((ckpt: string, input: string, opts: { out?: string }) => runAttention(ckpt, input, opts));

  program
    .command("info")
    .description("architecture, parameter count, training config and metrics of a checkpoint")
    .argument("<checkpoint>", "run or checkpoint directory")
    .option("--json", "print as JSON")
    .action((ckpt: string, opts: { json?: boolean }) => runInfo(ckpt, opts));
  return program;
}

/** One line on stderr, exit 2 for usage errors and 1 for runtime errors; stack only with --verbose. */
function fail(err: unknown, verbose: boolean): never {
  const e = err instanceof Error ? err : new Error(String(err));
  const usage = e instanceof UsageError || e instanceof CommanderError;
  const text = e.message.replace(/^error: /, "").replace(/\s*\n\s*/g, " ");
  process.stderr.write(`heed: ${text}\n`);
  if (verbose && e.stack) process.stderr.write(e.stack + "\n");
  process.exit(usage ? 2 : 1);
}

async function main(argv: string[]): Promise<void> {
  const verbose = argv.includes("--verbose");
  const program = build();
  if (argv.length <= 2) {
    program.outputHelp();
    return;
  }
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError && ["commander.helpDisplayed", "commander.version", "commander.help"].includes(err.code)) process.exit(0);
    // usage errors exit 2; runtime errors (ours, or the libraries': bad shapes, corrupt files) exit 1
    fail(err, verbose);
  }
}

void main(process.argv);
