/**
 * Runs cases on every engine: open a session per engine (its own child process in full runs),
 * check agreement with the reference engine, then time all engines alternately. Heed is the
 * reference when it runs; otherwise the first peer that ran. `quick` runs each case once for
 * correctness only.
 */
import { agree } from "./compare.js";
import { busyBetween, cpuTimes, loadAverage, type CaseLoad } from "./load.js";
import { errorText, measureAlternating, summarize, type MeasureOptions, type Stats } from "./measure.js";
import type { AnyEngine, BenchCase } from "./types.js";
import { OpenFailure, type Opener, type Session, type SessionEnd } from "./worker/session.js";

export type Status = "ok" | "FAIL" | "n/a" | "error" | "skipped";

export interface EngineResult {
  engine: string;
  status: Status;
  /** Why it is not "ok": the disagreement, missing API, load error or skip reason. */
  reason?: string;
  /** The process the engine computed in (a child of its own in full runs). */
  pid?: number;
  /** Largest |diff| / max|reference| against the reference engine. */
  maxErr?: number;
  stats?: Stats;
  gflops?: number;
  /** End-to-end cases: words per second at the median step time. */
  wordsPerSecond?: number;
  /** Memory, GC and CPU the session reported (peak RSS of its process, one run alone, idle CPU). */
  session?: Omit<SessionEnd, "memory" | "pid">;
  /** This engine's median / the Heed baseline's median (>1: Heed is faster); undefined for Heed itself. */
  ratio?: number;
  /** The Heed engine the ratio is taken against (same thread class when available). */
  baseline?: string;
}

/** A case's description (as declared in BenchCase) with every engine's result and the machine load. */
export interface CaseResult extends Pick<BenchCase, "id" | "family" | "title" | "flops" | "flopFormula" | "wordsPerIteration"> {
  reference: string | null;
  results: EngineResult[];
  load?: CaseLoad;
}

export interface SuiteOptions {
  quick: boolean;
  /** Opens one engine on one case (a child process per session in full runs). */
  open: Opener;
  /** Engines skipped on cases above this many FLOPs per iteration (too slow to time 5+ runs). */
  maxFlops?: Readonly<Record<string, number>>;
  measure: MeasureOptions;
  log?: (line: string) => void;
  onCase?: (c: CaseResult) => void;
}

export async function runCase(c: BenchCase<unknown>, engines: readonly AnyEngine[], opts: SuiteOptions): Promise<CaseResult> {
  const loadBefore = loadAverage();
  const results: EngineResult[] = [];
  const sessions = new Map<string, Session>();
  for (const engine of engines) {
    const id = engine.id;
    const limit = opts.quick ? undefined : opts.maxFlops?.[id];
    const tooSlow = limit !== undefined && c.flops > limit ? `slow plain-JS peer: skipped above ${limit / 1e9} GFLOP per iteration` : undefined;
    const skip = c.skip?.[id] ?? tooSlow;
    if (skip !== undefined) results.push({ engine: id, status: "skipped", reason: skip });
    else if (c.impls[engine.library] === undefined) results.push({ engine: id, status: "n/a", reason: `no ${engine.library} implementation of this case` });
    else {
      try {
        const s = await opts.open(c, engine);
        sessions.set(id, s);
        results.push({ engine: id, status: "ok", pid: s.pid });
      } catch (err) {
        const f = err instanceof OpenFailure ? err : new OpenFailure("error", errorText(err));
        results.push({ engine: id, status: f.status, reason: f.message });
      }
    }
  }
  const order = [...sessions.keys()].sort((a, b) => Number(!a.startsWith("heed")) - Number(!b.startsWith("heed")));
  const reference = order[0] ?? null;
  if (reference !== null) {
    const ref = sessions.get(reference)!.outputs;
    for (const r of results) {
      const mine = sessions.get(r.engine);
      if (mine === undefined || r.engine === reference) continue;
      const a = agree(mine.outputs, ref, c.tolerance);
      r.maxErr = a.maxErr;
      if (!a.ok) Object.assign(r, { status: "FAIL", reason: `disagrees with ${reference}: ${a.detail}` });
    }
  }
  let load: CaseLoad = { loadBefore, loadAfter: loadBefore };
  if (!opts.quick && sessions.size > 0) {
    const before = cpuTimes();
    const parentCpu = process.cpuUsage();
    const { times, errors } = await measureAlternating([...sessions].map(([id, s]) => ({ id, run: (n: number, t: boolean) => s.run(n, t) })), { ...opts.measure, ...c.measure });
    const after = cpuTimes();
    const used = process.cpuUsage(parentCpu);
    let benchCpu = (used.user + used.system) / 1000;
    for (const r of results) {
      const s = sessions.get(r.engine);
      if (s === undefined) continue;
      const e = errors.get(r.engine);
      if (e !== undefined) {
        Object.assign(r, { status: "error", reason: e });
        s.abort();
        continue;
      }
      const { memory, pid, ...session } = await s.finish();
      if (pid !== process.pid) benchCpu += session.cpuMs;
      const stats = summarize(times.get(r.engine)!, memory);
      Object.assign(r, { stats, session }, c.flops > 0 ? { gflops: c.flops / (stats.medianMs * 1e6) } : {});
      if (c.wordsPerIteration !== undefined) r.wordsPerSecond = c.wordsPerIteration / (stats.medianMs / 1000);
    }
    load = { loadBefore, loadAfter: loadAverage(), ...busyBetween(before, after, benchCpu) };
    addRatios(results, engines);
  } else {
    for (const s of sessions.values()) await s.finish();
  }
  const { id, family, title, flops, flopFormula, wordsPerIteration } = c;
  return { id, family, title, flops, flopFormula, ...(wordsPerIteration === undefined ? {} : { wordsPerIteration }), reference, results, load };
}

/** Ratio = engine median / Heed median: multi-thread engines against Heed multi-thread when it ran. */
function addRatios(results: EngineResult[], engines: readonly AnyEngine[]): void {
  const threads = new Map(engines.map((e) => [e.id, e.threads]));
  const heed = results.filter((r) => r.engine.startsWith("heed") && r.stats !== undefined);
  const best = (rs: EngineResult[]) => rs.reduce<EngineResult | undefined>((m, r) => (m === undefined || r.stats!.medianMs < m.stats!.medianMs ? r : m), undefined);
  const single = best(heed.filter((r) => threads.get(r.engine) === 1));
  const multi = best(heed.filter((r) => (threads.get(r.engine) ?? 1) > 1));
  for (const r of results) {
    if (r.stats === undefined || r.engine.startsWith("heed")) continue;
    const base = ((threads.get(r.engine) ?? 1) > 1 ? multi : undefined) ?? single ?? multi;
    if (base === undefined) continue;
    r.ratio = r.stats.medianMs / base.stats!.medianMs;
    r.baseline = base.engine;
  }
}

export async function runSuite(cases: readonly BenchCase<unknown>[], engines: readonly AnyEngine[], opts: SuiteOptions): Promise<CaseResult[]> {
  const out: CaseResult[] = [];
  for (const c of cases) {
    opts.log?.(`… ${c.id}`);
    const r = await runCase(c, engines, opts);
    opts.onCase?.(r);
    out.push(r);
  }
  return out;
}
