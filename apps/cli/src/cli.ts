#!/usr/bin/env node
import { Command, CommanderError, Option } from "commander";
import { RuntimeError, UsageError } from "./errors.js";
import { runAttention, runEval, runInfo, runPredict, runTrain } from "./commands.js";
import { useThreads } from "./threads.js";

const VERSION = "0.0.0";

function build(): Command {
  const program = new Command("heed")
    .description("Train, evaluate, run and look inside attention models.")
    .version(VERSION)
    .option("--verbose", "print stack traces on errors")
    .option("--threads <n>", "compute threads for the WebAssembly kernels (default 1: fastest for the default model on 2 cores)")
    .hook("preAction", (cmd) => useThreads(cmd.opts<{ threads?: string }>().threads))
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ writeErr: () => {}, outputError: () => {} });

  program
    .command("train")
    .description("train a model: g2p (default), translate, classify, forecast, seed or digits")
    .argument("[task]", "task to train", "g2p")
    .option("--epochs <n>", "number of epochs")
    .option("--batch-size <n>", "examples per batch")
    .option("--lr <x>", "peak learning rate")
    .option("--seed <n>", "random seed (same seed, same numbers)")
    .option("--d-model <n>", "model width E")
    .option("--heads <n>", "attention heads H")
    .option("--layers <n>", "encoder (and decoder) layers")
    .option("--ff <n>", "feed-forward width")
    .option("--dropout <p>", "dropout probability")
    .option("--max-minutes <m>", "stop training after this many minutes")
    .option("--max-steps <n>", "stop training after this many optimizer steps")
    .option("--warmup <n>", "learning-rate warm-up steps")
    .option("--label-smoothing <x>", "label smoothing")
    .option("--eval-size <n>", "examples decoded for the per-epoch metrics (0 = all)")
    .option("--beam <n>", "beam width for decoding (1 = greedy)")
    .addOption(new Option("--attention <kind>", "attention mechanism: feature (seed only), dot, scaled, multihead, residual"))
    .option("--from <locale>", "translate: source locale")
    .option("--to <locale>", "translate: target locale")
    .option("--out <dir>", "checkpoint directory (default runs/<task>)")
    .option("--no-save", "do not write checkpoints")
    .option("--resume <dir>", "continue a run from its last checkpoint")
    .option("--json", "print one JSON object per event (NDJSON)")
    .action((task: string, opts: Record<string, unknown>) => runTrain(task, opts));

  program
    .command("eval")
    .description("metrics on the test split")
    .argument("<checkpoint>", "run or checkpoint directory")
    .option("--limit <n>", "evaluate at most this many examples")
    .option("--json", "print the result as JSON")
    .action((ckpt: string, opts: Record<string, unknown>) => runEval(ckpt, opts));

  program
    .command("predict")
    .description("run a trained model on inputs (one per line from stdin when none are given)")
    .argument("<checkpoint>", "run or checkpoint directory")
    .argument("[input...]", "inputs, e.g. words for g2p")
    .option("--json", "print results as JSON lines")
    .action((ckpt: string, inputs: string[], opts: Record<string, unknown>) => runPredict(ckpt, inputs, opts));

  program
    .command("attention")
    .description("show the attention weights of each layer and head for one input")
    .argument("<checkpoint>", "run or checkpoint directory")
    .argument("<input>", "one input, e.g. a word")
    .option("--out <file>", "also write the heatmaps to a .png or .svg file")
    .action((ckpt: string, input: string, opts: Record<string, unknown>) => runAttention(ckpt, input, opts));

  program
    .command("info")
    .description("architecture, parameter count, training config and metrics of a checkpoint")
    .argument("<checkpoint>", "run or checkpoint directory")
    .option("--json", "print as JSON")
    .action((ckpt: string, opts: Record<string, unknown>) => runInfo(ckpt, opts));
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
    if (err instanceof CommanderError) {
      if (err.code === "commander.helpDisplayed" || err.code === "commander.version" || err.code === "commander.help") process.exit(0);
      fail(err, verbose);
    }
    if (err instanceof UsageError || err instanceof RuntimeError) fail(err, verbose);
    // Errors from the libraries (bad shapes, corrupt files) are runtime errors with their own clear message.
    fail(err, verbose);
  }
}

void main(process.argv);
