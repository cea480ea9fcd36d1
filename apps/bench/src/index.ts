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
import { parseArgs } from "./args.js";
import { machineInfo } from "./machine.js";
import { markdownReport, textCase, textHeader, withReadmeSummary, type Report } from "./report.js";
import { failures, runBench } from "./run.js";
import { runWorker } from "./worker/child.js";
import { parseWorkerArg } from "./worker/protocol.js";

const args = parseArgs(process.argv.slice(2));
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

const partial: Report = { machine: machineInfo(), mode: args.quick ? "quick" : "full", engines: [], cases: [] };
const report = await runBench(args, {
  log: (line) => console.error(line),
  onStart: (machine, engines) => {
    Object.assign(partial, { machine, engines });
    console.log(textHeader(machine, partial.mode, engines));
  },
  onCase: (c) => {
    partial.cases.push(c);
    write(partial);
    console.log(textCase(c));
  },
  // children run as this process does (same loader flags when started from source)
  children: { script, execArgv: process.execArgv },
});
write(report);
console.log(`\nwrote ${path.join(outDir, `${base}.json`)} and ${base}.md`);
// A complete default run (all cases, all engines, default output) refreshes the README's summary.
if (!args.quick && args.filter.length === 0 && args.engines.length === 0 && args.outDir === undefined) {
  const readme = path.join(path.dirname(script), "..", "README.md");
  writeFileSync(readme, withReadmeSummary(readFileSync(readme, "utf8"), report));
}

const failed = failures(report);
if (failed.length > 0) console.error(`\n${failed.length} failure(s):\n${failed.join("\n")}`);
// Explicit exit: nothing (worker pools, native sessions) may keep a finished benchmark alive.
process.exit(failed.length > 0 ? 1 : 0);
