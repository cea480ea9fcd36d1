/** The whole benchmark as a function (the CLI and the quick-suite test both call it). */
import type { BenchArgs } from "./args.js";
import { allCases } from "./cases/index.js";
import { allEngines } from "./engines.js";
import { loadAverage } from "./load.js";
import { machineInfo, type MachineInfo } from "./machine.js";
import type { EngineInfo, Report } from "./report.js";
import { runSuite, type CaseResult } from "./suite.js";
import { TARGETS } from "./targets.js";
import { childGlibcTunables, childOpener, describeEngines, type ChildOptions } from "./worker/parent.js";
import { inProcessOpener } from "./worker/session.js";

export interface RunHooks {
  log?: (line: string) => void;
  /** Called with the machine and engines once loaded, then with each case as it completes. */
  onStart?: (machine: MachineInfo, engines: EngineInfo[], caseIds: string[]) => void;
  onCase?: (c: CaseResult) => void;
  /**
   * Run every engine of every case in its own child process of this program (`script
   * --worker=…`, with `execArgv`). Without it everything runs in this process (the in-process
   * quick test: correctness only).
   */
  children?: Omit<ChildOptions, "quick">;
}

export async function runBench(args: BenchArgs, hooks: RunHooks = {}): Promise<Report> {
  const log = hooks.log ?? (() => {});
  const machine = machineInfo();
  const wanted = (id: string) => args.engines.length === 0 || args.engines.includes(id);
  const known = allEngines(machine.availableParallelism);
  const unknown = args.engines.filter((id) => !known.some((e) => e.id === id));
  if (unknown.length > 0) throw new Error(`bench: unknown engine '${unknown[0]}' in --engines; choose from ${known.map((e) => e.id).join(", ")}`);
  const engines = known.filter((e) => wanted(e.id));
  const missed = args.filter.filter((f) => !allCases(args.quick).some((c) => (args.long || c.long !== true) && c.id.includes(f)));
  if (missed.length > 0) {
    const long = allCases(args.quick).some((c) => c.long === true && c.id.includes(missed[0]!)) ? " (a long case: add --long)" : "";
    throw new Error(`bench: --filter '${missed[0]}' matches no case${long}; case ids: ${allCases(args.quick).map((c) => c.id).join(", ")}`);
  }
  const children = hooks.children === undefined ? undefined : { ...hooks.children, quick: args.quick };
  if (children !== undefined) machine.childGlibcTunables = childGlibcTunables();
  const inProcess = children === undefined ? inProcessOpener() : undefined;
  let described: { id: string; label: string; loadError?: string }[];
  if (children !== undefined) described = await describeEngines(children, engines);
  else {
    described = [];
    for (const e of engines) {
      const l = await inProcess!.load(e);
      described.push({ id: e.id, label: e.label, ...(l.loadError === undefined ? {} : { loadError: l.loadError }) });
    }
  }
  const engineInfo: EngineInfo[] = engines.map((e, i) => ({
    id: e.id,
    label: described[i]!.label,
    threads: e.threads,
    available: described[i]!.loadError === undefined ? "loaded" : `cannot load: ${described[i]!.loadError}`,
    process: children === undefined ? "shared (in-process)" : "own child process per case",
  }));
  // The cases of the #18 targets run first, so a run stopped early (a loaded machine) still has them.
  const first = new Set(TARGETS.map((t) => t.caseId));
  const cases = allCases(args.quick)
    .filter((c) => (args.long || c.long !== true) && (args.filter.length === 0 || args.filter.some((f) => c.id.includes(f))))
    .sort((a, b) => Number(!first.has(a.id)) - Number(!first.has(b.id)));
  hooks.onStart?.(machine, engineInfo, cases.map((c) => c.id));
  const results = await runSuite(cases, engines, {
    quick: args.quick,
    open: children === undefined ? inProcess!.open : childOpener(children),
    // tfjs's plain-JS backend runs at ~0.3 GFLOP/s: beyond 1 GFLOP one case would take minutes.
    maxFlops: { "tfjs-cpu": 1e9 },
    measure: { warmup: 2, minRuns: args.minRuns, minTimeMs: args.minTimeMs, batchMs: 150 },
    log,
    ...(hooks.onCase ? { onCase: hooks.onCase } : {}),
  });
  inProcess?.release();
  return {
    machine: { ...machine, loadAverageAtEnd: loadAverage() },
    mode: args.quick ? "quick" : "full",
    engines: engineInfo,
    cases: results,
  };
}

/** Process exit status: a disagreement (FAIL) or a Heed error fails the run; peer errors are reported only. */
export function failures(report: Report): string[] {
  return report.cases.flatMap((c) =>
    c.results
      .filter((r) => r.status === "FAIL" || (r.status === "error" && r.engine.startsWith("heed")))
      .map((r) => `${c.id} ${r.engine}: ${r.status} ${r.reason ?? ""}`),
  );
}
