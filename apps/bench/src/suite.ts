/**
 * Runs cases on every engine: prepare (untimed), check agreement with the reference engine,
 * then time all engines alternately. Heed is the reference when it runs; otherwise the first
 * peer that ran. `quick` runs each case once for correctness only.
 */
import { agree } from "./compare.js";
import { MissingApi } from "./heed/api.js";
import { errorText, measureAlternating, type MeasureOptions, type Stats, type Timed } from "./measure.js";
import type { AnyEngine, BenchCase, Contexts, Engine, Impl, Library, Prepared, RunMemory } from "./types.js";

export type Status = "ok" | "FAIL" | "n/a" | "error" | "skipped";

export interface EngineResult {
  engine: string;
  status: Status;
  /** Why it is not "ok": the disagreement, missing API, load error or skip reason. */
  reason?: string;
  /** Largest |diff| / max|reference| against the reference engine. */
  maxErr?: number;
  stats?: Stats;
  gflops?: number;
  /** End-to-end cases: words per second at the median step time. */
  wordsPerSecond?: number;
  /** Peak memory of one run in a fresh process (memory cases), or why it could not be measured. */
  runMemory?: RunMemory | string;
  /** This engine's median / the Heed baseline's median (>1: Heed is faster); undefined for Heed itself. */
  ratio?: number;
  /** The Heed engine the ratio is taken against (same thread class when available). */
  baseline?: string;
}

/** A case's description (as declared in BenchCase) with every engine's result. */
export interface CaseResult extends Pick<BenchCase, "id" | "family" | "title" | "flops" | "flopFormula" | "wordsPerIteration"> {
  reference: string | null;
  results: EngineResult[];
}

/** An engine with its library loaded: closures over its context, so callers need no casts. */
export interface LoadedEngine {
  engine: AnyEngine;
  loadError?: string;
  activate(): Promise<void>;
  wasmBytes(): number | undefined;
  release(): void;
  /** The case's implementation for this library, or undefined when the case has none. */
  implement<I>(c: BenchCase<I>, inputs: I): Promise<Prepared> | undefined;
}

async function bind<L extends Library>(engine: Engine<L>): Promise<LoadedEngine> {
  const any = engine as AnyEngine;
  let ctx: Contexts[L];
  try {
    ctx = await engine.load();
  } catch (err) {
    const loadError = errorText(err);
    const fail = () => Promise.reject(new Error(loadError));
    return { engine: any, loadError, activate: fail, wasmBytes: () => undefined, release: () => {}, implement: () => undefined };
  }
  return {
    engine: any,
    activate: () => engine.activate(ctx),
    wasmBytes: () => engine.wasmBytes(ctx),
    release: () => engine.release?.(ctx),
    implement<I>(c: BenchCase<I>, inputs: I) {
      const impl = c.impls[engine.library] as Impl<L, I> | undefined;
      return impl === undefined ? undefined : Promise.resolve(impl.call(c.impls, ctx, inputs));
    },
  };
}

export interface SuiteOptions {
  quick: boolean;
  /** Measures one run's peak memory in a fresh process (cases with `memoryProbe`). */
  probe?: (caseId: string, engineId: string) => RunMemory | string;
  /** Engines skipped on cases above this many FLOPs per iteration (too slow to time 5+ runs). */
  maxFlops?: Readonly<Record<string, number>>;
  measure: MeasureOptions;
  log?: (line: string) => void;
  onCase?: (c: CaseResult) => void;
}

/** Loads every engine once; a failure is kept as the reason its column is empty. */
export async function loadEngines(engines: readonly AnyEngine[]): Promise<LoadedEngine[]> {
  const loaded: LoadedEngine[] = [];
  for (const engine of engines) loaded.push(await bind(engine));
  return loaded;
}

export async function runCase<I>(c: BenchCase<I>, engines: readonly LoadedEngine[], opts: SuiteOptions): Promise<CaseResult> {
  const inputs = c.inputs();
  const results: EngineResult[] = [];
  const prepared = new Map<string, { p: Prepared; outputs: Float32Array[]; l: LoadedEngine }>();
  for (const l of engines) {
    const { engine } = l;
    const id = engine.id;
    const limit = opts.quick ? undefined : opts.maxFlops?.[id];
    const tooSlow = limit !== undefined && c.flops > limit ? `slow plain-JS peer: skipped above ${limit / 1e9} GFLOP per iteration` : undefined;
    const skip = c.skip?.[id] ?? tooSlow;
    if (skip !== undefined) results.push({ engine: id, status: "skipped", reason: skip });
    else if (l.loadError !== undefined) results.push({ engine: id, status: "n/a", reason: `cannot load: ${l.loadError}` });
    else if (c.impls[engine.library] === undefined) results.push({ engine: id, status: "n/a", reason: `no ${engine.library} implementation of this case` });
    else {
      try {
        await l.activate();
        const p = await l.implement(c, inputs)!;
        const outputs = await p.check();
        prepared.set(id, { p, outputs, l });
        results.push({ engine: id, status: "ok" });
      } catch (err) {
        const missing = err instanceof MissingApi;
        results.push({ engine: id, status: missing ? "n/a" : "error", reason: missing ? err.message : errorText(err) });
      }
    }
  }
  const order = [...prepared.keys()].sort((a, b) => Number(!a.startsWith("heed")) - Number(!b.startsWith("heed")));
  const reference = order[0] ?? null;
  if (reference !== null) {
    const ref = prepared.get(reference)!.outputs;
    for (const r of results) {
      const mine = prepared.get(r.engine);
      if (mine === undefined || r.engine === reference) continue;
      const a = agree(mine.outputs, ref, c.tolerance);
      r.maxErr = a.maxErr;
      if (!a.ok) Object.assign(r, { status: "FAIL", reason: `disagrees with ${reference}: ${a.detail}` });
    }
  }
  if (!opts.quick && prepared.size > 0) {
    const timed: Timed[] = [...prepared].map(([id, { p, l }]) => ({ id, activate: () => l.activate(), run: () => p.run(), wasmBytes: () => l.wasmBytes() }));
    const { stats, errors } = await measureAlternating(timed, { ...opts.measure, ...c.measure });
    for (const r of results) {
      const s = stats.get(r.engine);
      if (s !== undefined) {
        Object.assign(r, { stats: s }, c.flops > 0 ? { gflops: c.flops / (s.medianMs * 1e6) } : {});
        if (c.wordsPerIteration !== undefined) r.wordsPerSecond = c.wordsPerIteration / (s.medianMs / 1000);
      }
      const e = errors.get(r.engine);
      if (e !== undefined) Object.assign(r, { status: "error", reason: e });
    }
    addRatios(results, engines);
    if (c.memoryProbe === true && opts.probe !== undefined) {
      for (const r of results) if (r.status === "ok") r.runMemory = opts.probe(c.id, r.engine);
    }
  }
  const { id, family, title, flops, flopFormula, wordsPerIteration } = c;
  return { id, family, title, flops, flopFormula, ...(wordsPerIteration === undefined ? {} : { wordsPerIteration }), reference, results };
}

/** Ratio = engine median / Heed median: multi-thread engines against Heed multi-thread when it ran. */
function addRatios(results: EngineResult[], engines: readonly LoadedEngine[]): void {
  const threads = new Map(engines.map((l) => [l.engine.id, l.engine.threads]));
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

export async function runSuite(cases: readonly BenchCase<unknown>[], engines: readonly LoadedEngine[], opts: SuiteOptions): Promise<CaseResult[]> {
  const out: CaseResult[] = [];
  for (const c of cases) {
    opts.log?.(`… ${c.id}`);
    const r = await runCase(c, engines, opts);
    opts.onCase?.(r);
    out.push(r);
  }
  return out;
}
