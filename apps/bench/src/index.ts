#!/usr/bin/env node
/**
 * `pnpm bench [--quick] [--long] …`: Heed side by side with TensorFlow.js, ONNX Runtime and
 * jax-js, every engine of every case in its own child process of this program. Prints a table
 * per case as it completes, writes results/latest.json and results/latest.md (quick runs:
 * results/tmp/), exits 1 when any engine disagrees with the reference or Heed throws.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { HELP, parseArgs, type BenchArgs } from "./args.js";
import { loadAverage } from "./load.js";
import { machineInfo } from "./machine.js";
import { markdownReport, textCase, textHeader, withReadmeSummary, type Report } from "./report.js";
import { failures, runBench } from "./run.js";
import { runWorker } from "./worker/child.js";
import { parseWorkerArg } from "./worker/protocol.js";

let args: BenchArgs;
try {
  args = parseArgs(process.argv.slice(2));
} catch (e) {
  console.error((e as Error).message); // one message and the usage line, no stack trace
  process.exit(2);
}
if (args.help) {
  console.log(HELP);
  process.exit(0);
}
const script = fileURLToPath(import.meta.url);

if (args.worker !== undefined) {
  // Child of a run: one engine on one case, driven by the parent over IPC (worker/child.ts).
  process.on("disconnect", () => process.exit(1)); // the parent is gone
  await runWorker(parseWorkerArg(args.worker));
  process.exit(0);
}

const outDir = args.outDir ?? path.join(path.dirname(script), "..", "results", args.quick ? "tmp" : "");
const base = args.quick ? "quick" : "latest";
mkdirSync(outDir, { recursive: true });
/** Written after every case, so a run that is interrupted (or killed by a huge case) keeps its results. */
function write(r: Report): void {
  writeFileSync(path.join(outDir, `${base}.json`), JSON.stringify(r, null, 2) + "\n");
  writeFileSync(path.join(outDir, `${base}.md`), markdownReport(r) + "\n");
}

const defaultRun = !args.quick && args.filter.length === 0 && args.engines.length === 0 && args.outDir === undefined;
const readme = path.join(path.dirname(script), "..", "README.md");
const partial: Report = { machine: machineInfo(), mode: args.quick ? "quick" : "full", engines: [], cases: [] };
let planned = 0;
// Stopped by a signal (a run on a loaded machine can take hours): keep what is measured, marked as partial.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    Object.assign(partial, { stopped: `stopped by ${signal} after ${partial.cases.length} of ${planned} cases` });
    partial.machine.loadAverageAtEnd = loadAverage();
    write(partial);
    if (defaultRun && partial.cases.length > 0) writeFileSync(readme, withReadmeSummary(readFileSync(readme, "utf8"), partial));
    console.error(`\n${partial.stopped}; wrote ${path.join(outDir, `${base}.json`)} and ${base}.md`);
    process.exit(signal === "SIGINT" ? 130 : 143); // the children exit when their IPC channel closes
  });
}
const report = await runBench(args, {
  log: (line) => console.error(line),
  onStart: (machine, engines, caseIds) => {
    Object.assign(partial, { machine, engines });
    planned = caseIds.length;
    console.log(textHeader(machine, partial.mode, engines));
  },
  onCase: (c) => {
    partial.cases.push(c);
    write(partial);
    console.log(textCase(c));
  },
  // children run as this process does (same loader flags when started from source)
  children: { script, execArgv: process.execArgv },
}).catch((e: Error) => {
  if (!e.message.startsWith("bench: ")) throw e;
  console.error(e.message); // a bad --engines or --filter: one line, no stack trace
  process.exit(2);
});
write(report);
console.log(`\nwrote ${path.join(outDir, `${base}.json`)} and ${base}.md`);
// A default run (all cases, all engines, default output) refreshes the README's summary.
if (defaultRun) writeFileSync(readme, withReadmeSummary(readFileSync(readme, "utf8"), report));

const failed = failures(report);
if (failed.length > 0) console.error(`\n${failed.length} failure(s):\n${failed.join("\n")}`);
// Explicit exit: nothing (worker pools, native sessions) may keep a finished benchmark alive.
process.exit(failed.length > 0 ? 1 : 0);
