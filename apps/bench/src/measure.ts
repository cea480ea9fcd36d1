/**
 * Timing with machine drift spread evenly: every engine of a case is warmed up, then the
 * engines take turns running small batches until each has at least `minRuns` iterations
 * and `minTimeMs` of measured time. Memory is sampled after every iteration.
 */

export interface MeasureOptions {
  /** Untimed iterations per engine before timing (JIT, caches, wasm compilation). */
  warmup: number;
  minRuns: number;
  minTimeMs: number;
  /** Target duration of one batch (one engine's turn). */
  batchMs: number;
}

export interface Timed {
  id: string;
  activate(): Promise<void>;
  run(): void | Promise<void>;
  wasmBytes(): number | undefined;
}

export interface Stats {
  runs: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  totalMs: number;
  memory: MemoryPeak;
}

/** Peaks observed after iterations, in bytes; `wasm` when the engine reports its wasm memory. */
export interface MemoryPeak {
  rss: number;
  heapUsed: number;
  /** ArrayBuffers outside the V8 heap (typed-array storage, wasm memories). */
  arrayBuffers: number;
  wasm: number | undefined;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function emptyPeak(): MemoryPeak {
  return { rss: 0, heapUsed: 0, arrayBuffers: 0, wasm: undefined };
}

function sample(peak: MemoryPeak, wasm: number | undefined): void {
  const m = process.memoryUsage();
  peak.rss = Math.max(peak.rss, m.rss);
  peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed);
  peak.arrayBuffers = Math.max(peak.arrayBuffers, m.arrayBuffers);
  if (wasm !== undefined) peak.wasm = Math.max(peak.wasm ?? 0, wasm);
}

/** Times every entry, alternating between them; an entry that throws is reported in `errors`. */
export async function measureAlternating(
  entries: readonly Timed[],
  opts: MeasureOptions,
): Promise<{ stats: Map<string, Stats>; errors: Map<string, string> }> {
  const errors = new Map<string, string>();
  const state = new Map<string, { times: number[]; batch: number; peak: MemoryPeak }>();
  for (const e of entries) {
    try {
      await e.activate();
      let last = 0;
      // Warm up at least once; slow engines (seconds per run) stop after ~2 s of warm-up.
      for (let i = 0, spent = 0; i < Math.max(opts.warmup, 1) && (i === 0 || spent < 2000); i++) {
        const t0 = performance.now();
        await e.run();
        last = performance.now() - t0;
        spent += last;
      }
      const batch = Math.min(1000, Math.max(1, Math.round(opts.batchMs / Math.max(last, 1e-3))));
      const peak = emptyPeak();
      sample(peak, e.wasmBytes());
      // The warm-up run counts as a sample only in correctness-only mode (warmup 0).
      state.set(e.id, { times: opts.warmup === 0 ? [last] : [], batch, peak });
    } catch (err) {
      errors.set(e.id, errorText(err));
    }
  }
  const done = (s: { times: number[] }) => s.times.length >= opts.minRuns && sum(s.times) >= opts.minTimeMs;
  for (;;) {
    const pending = entries.filter((e) => state.has(e.id) && !done(state.get(e.id)!));
    if (pending.length === 0) break;
    for (const e of pending) {
      const s = state.get(e.id)!;
      try {
        await e.activate();
        for (let i = 0; i < s.batch; i++) {
          const t0 = performance.now();
          await e.run();
          s.times.push(performance.now() - t0);
          sample(s.peak, e.wasmBytes());
        }
      } catch (err) {
        errors.set(e.id, errorText(err));
        state.delete(e.id);
      }
    }
  }
  const stats = new Map<string, Stats>();
  for (const [id, s] of state) {
    stats.set(id, {
      runs: s.times.length,
      medianMs: median(s.times),
      minMs: Math.min(...s.times),
      maxMs: Math.max(...s.times),
      totalMs: sum(s.times),
      memory: s.peak,
    });
  }
  return { stats, errors };
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

export function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split("\n")[0]!.slice(0, 200);
}
