/**
 * Timing with machine drift spread evenly: every engine of a case is warmed up, then the
 * engines take turns running small batches until each has at least `minRuns` iterations
 * and `minTimeMs` of measured time. Iterations are timed where they run (in the engine's own
 * process), so messages between processes never count.
 */
import type { MemoryPeak } from "./worker/runner.js";

export type { MemoryPeak };

export interface MeasureOptions {
  /** Untimed iterations per engine before timing (JIT, caches, wasm compilation). */
  warmup: number;
  minRuns: number;
  minTimeMs: number;
  /** Target duration of one batch (one engine's turn). */
  batchMs: number;
}

/** One engine's turn-taking interface (a Session). */
export interface Timed {
  id: string;
  /** Runs `n` iterations and returns each one's milliseconds. */
  run(n: number, timed: boolean): Promise<number[]>;
}

export interface Stats {
  runs: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  totalMs: number;
  memory: MemoryPeak;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Median, min, max and total of the times (memory is filled in from the session's report). */
export function summarize(times: readonly number[], memory: MemoryPeak): Stats {
  return { runs: times.length, medianMs: median(times), minMs: Math.min(...times), maxMs: Math.max(...times), totalMs: sum(times), memory };
}

/** Times every entry, alternating between them; an entry that throws is reported in `errors`. */
export async function measureAlternating(
  entries: readonly Timed[],
  opts: MeasureOptions,
): Promise<{ times: Map<string, number[]>; errors: Map<string, string> }> {
  const errors = new Map<string, string>();
  const state = new Map<string, { times: number[]; batch: number }>();
  for (const e of entries) {
    try {
      let last = 0;
      // Warm up at least once; slow engines (seconds per run) stop after ~2 s of warm-up.
      for (let i = 0, spent = 0; i < Math.max(opts.warmup, 1) && (i === 0 || spent < 2000); i++) {
        last = (await e.run(1, false))[0]!;
        spent += last;
      }
      const batch = Math.min(1000, Math.max(1, Math.round(opts.batchMs / Math.max(last, 1e-3))));
      // The warm-up run counts as a sample only in correctness-only mode (warmup 0).
      state.set(e.id, { times: opts.warmup === 0 ? [last] : [], batch });
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
        s.times.push(...(await e.run(s.batch, true)));
      } catch (err) {
        errors.set(e.id, errorText(err));
        state.delete(e.id);
      }
    }
  }
  return { times: new Map([...state].map(([id, s]) => [id, s.times])), errors };
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

export function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split("\n")[0]!.slice(0, 200);
}
