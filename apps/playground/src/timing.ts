import { scaledDotProductAttention } from "@heed/attention";
import { Generator, getNumThreads, matmul, randn, setNumThreads } from "@heed/tensor-core";

/** One timed workload: its name and the median milliseconds per thread count. */
export interface TimingRow {
  name: string;
  ms: Record<number, number>;
}

/** Median wall milliseconds of `fn` over `reps` runs, after two warm-up runs. */
function median(fn: () => void, reps: number): number {
  fn();
  fn();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/**
 * matmul 1024² and attention forward (B 4, H 8, L = S 256, D 64) on each thread count (median of
 * `reps` runs), then back to the thread count in use before. The same workloads as `pnpm bench`.
 */
export async function timeThreads(counts: number[] = [1, 2], reps = 7): Promise<TimingRow[]> {
  if (Math.max(...counts) > 1 && globalThis.crossOriginIsolated !== true) {
    // Checked before switching anything, so the page keeps its own note on why it runs one thread.
    throw new Error(`timeThreads: timing ${counts.join(" vs ")} threads needs a cross-origin-isolated page (served with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp); this one runs on one thread`);
  }
  const before = getNumThreads();
  const rng = new Generator(0);
  const a = randn([1024, 1024], rng);
  const b = randn([1024, 1024], rng);
  const [q, k, v] = [randn([4, 8, 256, 64], rng), randn([4, 8, 256, 64], rng), randn([4, 8, 256, 64], rng)];
  const rows: TimingRow[] = [
    { name: "matmul 1024²", ms: {} },
    { name: "attention forward (4, 8, 256, 64)", ms: {} },
  ];
  try {
    for (const n of counts) {
      const got = await setNumThreads(n);
      if (got !== n) throw new Error(`timeThreads: asked for ${n} threads, the page runs ${got} (see wasmInfo().note)`);
      rows[0]!.ms[n] = median(() => matmul(a, b), reps);
      rows[1]!.ms[n] = median(() => scaledDotProductAttention(q, k, v), reps);
    }
  } finally {
    await setNumThreads(before);
  }
  return rows;
}
