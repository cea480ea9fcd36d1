#!/usr/bin/env node
/**
 * `pnpm bench [--quick] [--long] …`: Heed side by side with TensorFlow.js, ONNX Runtime and
 * jax-js in one process. Prints a table per case as it completes, writes results/latest.json
 * and results/latest.md (quick runs: results/tmp/), exits 1 when any engine disagrees with the
 * reference or Heed throws.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "./args.js";
import { runProbe } from "./probe.js";
import { machineInfo } from "./machine.js";
import { markdownReport, textCase, textHeader, withReadmeSummary, type Report } from "./report.js";
import { failures, runBench } from "./run.js";

const args = parseArgs(process.argv.slice(2));
const script = fileURLToPath(import.meta.url);

if (args.probe !== undefined) {
  // Child of a full run: one engine, one case, one run; the parent reads this JSON line.
  console.log(JSON.stringify(await runProbe(args.probe, os.availableParallelism())));
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
  script,
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
