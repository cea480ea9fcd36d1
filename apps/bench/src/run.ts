/** The whole benchmark as a function (the CLI and the quick-suite test both call it). */
import type { BenchArgs } from "./args.js";
import { allCases } from "./cases/index.js";
import { allEngines } from "./engines.js";
import { machineInfo, type MachineInfo } from "./machine.js";
import { probeMemory } from "./probe.js";
import type { EngineInfo, Report } from "./report.js";
import { loadEngines, runSuite, type CaseResult } from "./suite.js";

export interface RunHooks {
  log?: (line: string) => void;
  /** Called with the machine and engines once loaded, then with each case as it completes. */
  onStart?: (machine: MachineInfo, engines: EngineInfo[]) => void;
  onCase?: (c: CaseResult) => void;
  /** This program's path, to measure memory cases in fresh processes (full runs from the CLI). */
  script?: string;
}

export async function runBench(args: BenchArgs, hooks: RunHooks = {}): Promise<Report> {
  const log = hooks.log ?? (() => {});
  const script = args.quick ? undefined : hooks.script;
  const machine = machineInfo();
  const wanted = (id: string) => args.engines.length === 0 || args.engines.includes(id);
  const engines = await loadEngines(allEngines(machine.availableParallelism).filter((e) => wanted(e.id)));
  const engineInfo: EngineInfo[] = engines.map((l) => ({
    id: l.engine.id,
    label: l.engine.label,
    threads: l.engine.threads,
    available: l.loadError === undefined ? "loaded" : `cannot load: ${l.loadError}`,
  }));
  hooks.onStart?.(machine, engineInfo);
  const cases = allCases(args.quick).filter(
    (c) => (args.long || c.long !== true) && (args.filter.length === 0 || args.filter.some((f) => c.id.includes(f))),
  );
  const results = await runSuite(cases, engines, {
    quick: args.quick,
    // tfjs's plain-JS backend runs at ~0.3 GFLOP/s: beyond 1 GFLOP one case would take minutes.
    maxFlops: { "tfjs-cpu": 1e9 },
    measure: { warmup: 2, minRuns: args.minRuns, minTimeMs: args.minTimeMs, batchMs: 150 },
    log,
    ...(hooks.onCase ? { onCase: hooks.onCase } : {}),
    ...(script === undefined ? {} : { probe: (c: string, e: string) => probeMemory(script, c, e) }),
  });
  for (const l of engines) l.release();
  return {
    machine,
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
