/**
 * The worker pool's protocol (backend/wasm/pool.ts): a worker that has not joined a call by
 * the time the caller has run every task leaves the caller free (no wait for a worker that
 * never starts), workers that went to sleep after their spin are woken for the next call, and
 * a call after many back-to-back calls still gives the reference results; products split into
 * row parts (with their output arrays allocated while the workers compute) give the 1-thread bits,
 * and so does the attention forward whose last problems are cut into row parts. The pool counts
 * its calls, the workers' joins and where the time went (threadPoolStats). A call can publish
 * more tasks while it is open (the caller copying the later problems' inputs in while the
 * worker computes the first): every task runs once, after its inputs are there.
 */
import { afterAll, describe, expect, it } from "vitest";
import { randn } from "../create.js";
import { fusedKernelFor, getBackend, referenceKernel, setBackend } from "../backend/registry.js";
import { defaultVariant } from "../backend/wasm/state.js";
import { loadVariantSync } from "../backend/wasm/loader.js";
import { SharedPool, startNodePool } from "../backend/wasm/pool.js";
import { aliases, feedProblems, forwardTasks } from "../backend/wasm/attention.js";
import { CTRL, TASK_WORDS, WasmRuntime } from "../backend/wasm/runtime.js";
import { OP_COLSUM } from "../backend/wasm/abi.js";
import { layoutOf, type AttentionProblem } from "../fused/attention-kernel.js";
import { matmul } from "../ops/linalg/index.js";
import { generator } from "../random.js";
import { setNumThreads, threadPoolStats } from "./threads.js";

const initial = getBackend();
afterAll(() => {
  setNumThreads(1);
  setBackend(initial);
});

function sharedRuntime(): WasmRuntime {
  const loaded = loadVariantSync(defaultVariant(true).variant);
  if (loaded === null) throw new Error("pool.test: the shared-memory kernels are not built");
  return WasmRuntime.create(loaded.module, true, loaded.relaxed);
}

describe("SharedPool", () => {
  it("does not wait for a worker that never joins the call", () => {
    const rt = sharedRuntime();
    // a pool whose one "worker" never runs: before, `run` waited for it forever
    const pool = new SharedPool(rt, 2, "worker_threads", [{ terminate: () => undefined }]);
    let ran = 0;
    pool.run(() => ran++);
    pool.run(() => ran++);
    expect(ran).toBe(2);
    const i32 = new Int32Array(rt.memory.buffer);
    expect(Atomics.load(i32, (rt.ctrl >> 2) + CTRL.JOIN)).toBe(-1); // closed, nobody joined
    const stats = pool.stats();
    expect(stats).toMatchObject({ threads: 2, calls: 2, joins: 0, workerTaskMs: 0, workerStartMs: 0 }); // nothing from the worker
    expect(Math.min(stats.callerTaskMs, stats.callerWaitMs)).toBeGreaterThanOrEqual(0);
  });

  it("runs the tasks on a worker that joins, also after it went to sleep", async () => {
    const rt = sharedRuntime();
    rt.pool = startNodePool(rt, 2);
    try {
      const i32 = new Int32Array(rt.memory.buffer);
      const joinedAfter = (): number => -1 - Atomics.load(i32, (rt.ctrl >> 2) + CTRL.JOIN);
      // the caller waits (outside the pool) until the worker has joined, so the worker runs every task;
      // a worker's start can take seconds on a loaded machine: the wait ends well inside the test's 60 s
      const waitForJoin = (): void => {
        const until = Date.now() + 30_000;
        while (Atomics.load(i32, (rt.ctrl >> 2) + CTRL.JOIN) < 1 && Date.now() < until);
      };
      for (const pause of [0, 50]) {
        await new Promise((r) => setTimeout(r, pause)); // 50 ms: past the spin, the worker sleeps in Atomics.wait
        rt.pool.run(waitForJoin);
        expect(joinedAfter()).toBe(1);
      }
      // both calls were joined: counted by the worker (in its slot) and by the caller
      const stats = rt.pool.stats(true);
      expect(stats).toMatchObject({ threads: 2, calls: 2, joins: 2 });
      for (const ms of [stats.callerTaskMs, stats.callerWaitMs, stats.workerTaskMs, stats.workerStartMs]) expect(ms).toBeGreaterThanOrEqual(0);
      expect(stats.callerTaskMs).toBeGreaterThan(0); // the caller spun until the worker joined
      expect(rt.pool.stats()).toMatchObject({ calls: 0, joins: 0, callerTaskMs: 0, callerWaitMs: 0, workerTaskMs: 0, workerStartMs: 0 }); // reset
    } finally {
      rt.pool.close();
    }
  });

  it("gives the reference results over many back-to-back calls on 2 threads", () => {
    expect(setBackend("wasm")).toBe(true);
    expect(setNumThreads(2)).toBe(2);
    const rng = generator(5);
    const [a, b] = [randn([300, 128], rng), randn([128, 200], rng)]; // 15 MFLOP: split over the threads
    const want = referenceKernel("matmul")([a, b], { transA: false, transB: false }).data;
    const first = matmul(a, b).data;
    for (let i = 0; i < 200; i++) {
      const got = matmul(a, b).data;
      let [worst, differ] = [0, 0];
      for (let j = 0; j < want.length; j++) {
        worst = Math.max(worst, Math.abs(got[j]! - want[j]!) / (1 + Math.abs(want[j]!)));
        if (!Object.is(got[j], first[j])) differ++;
      }
      expect(worst).toBeLessThan(1e-4);
      expect(differ).toBe(0); // a split by rows or columns keeps every sum's order: the same bits on every call
    }
  });

  it("runs tasks published while the call is open once each, after their inputs were copied in", () => {
    const rt = sharedRuntime();
    rt.pool = startNodePool(rt, 2);
    try {
      // 16 column-sum tasks over blocks of 64 × 16 floats; blocks 2… hold NaN until `fill` writes them
      const [tasks, rows, inner, first] = [16, 64, 16, 2];
      const [x, out, acc] = rt.layout([4 * tasks * rows * inner, 4 * tasks * inner, 8 * tasks * inner]);
      const f32 = rt.f32;
      const block = (i: number, value: number): void => void f32.fill(value, (x! >> 2) + i * rows * inner, (x! >> 2) + (i + 1) * rows * inner);
      for (let i = 0; i < tasks; i++) block(i, i < first ? i + 1 : NaN);
      f32.fill(-1, out! >> 2, (out! >> 2) + tasks * inner);
      for (let i = 0; i < tasks; i++) rt.setTask(i, [OP_COLSUM, x! + 4 * i * rows * inner, out! + 4 * i * inner, 1, rows, inner, acc! + 8 * i * inner]);
      const i32 = new Int32Array(rt.memory.buffer);
      for (let round = 0; round < 20; round++) {
        for (let i = first; i < tasks; i++) block(i, NaN);
        const fill = (): void => {
          // the worker has joined (it runs the first tasks, then waits for the rest) before the rest is written
          const until = Date.now() + 30_000;
          while (Atomics.load(i32, (rt.ctrl >> 2) + CTRL.JOIN) < 1 && Date.now() < until);
          for (let i = first; i < tasks; i++) block(i, i + 1);
        };
        rt.runTasks(tasks, true, { first, fill });
        expect(i32[(rt.ctrl >> 2) + CTRL.NEXT], "every index claimed once").toBe(tasks);
        expect(i32[(rt.ctrl >> 2) + CTRL.MORE]).toBe(0);
        const sums = rt.f32.subarray(out! >> 2, (out! >> 2) + tasks * inner);
        expect(Array.from(sums)).toEqual(Array.from({ length: tasks * inner }, (_, j) => rows * (Math.floor(j / inner) + 1)));
        rt.f32.fill(-1, out! >> 2, (out! >> 2) + tasks * inner);
      }
      expect(rt.pool.stats().joins).toBe(20);
      expect(TASK_WORDS).toBe(16);
    } finally {
      rt.pool.close();
    }
  });

  it("copies the attention forward's first problems before the workers start only for separate row-major q, k, v", () => {
    const rng = generator(9);
    const [batch, L, E] = [32, 16, 8];
    const offsets = Int32Array.from({ length: batch }, (_, b) => b * L * E);
    const data = (): Float32Array => randn([batch * L * E], rng).data as Float32Array;
    const p = { batch, L, S: L, E, Ev: E, q: data(), k: data(), v: data(), qOffsets: offsets, kOffsets: offsets, vOffsets: offsets, mask: null, scale: 1, causal: false, dropout: null };
    const feed = (x: AttentionProblem<Float32Array>): number => feedProblems(x, aliases(x, layoutOf(x)), batch);
    expect(feed(p)).toBe(2); // a sixteenth of the problems
    expect(feed({ ...p, batch: 2, qOffsets: offsets.subarray(0, 2), kOffsets: offsets.subarray(0, 2), vOffsets: offsets.subarray(0, 2) })).toBe(1);
    expect(feed({ ...p, k: p.q })).toBe(0); // one array as q and k: copied once, whole
    expect(feed({ ...p, kOffsets: new Int32Array(batch) })).toBe(0); // broadcast k: not a prefix per problem
    expect(feed({ ...p, layout: layoutOf(p) })).toBe(0); // strided heads
    expect(feedProblems(p, {}, 2000)).toBe(0); // more tasks than one table
  });

  it("counts the pool's calls through threadPoolStats, and zeros on one thread", () => {
    expect(setBackend("wasm")).toBe(true);
    expect(setNumThreads(1)).toBe(1);
    expect(threadPoolStats()).toEqual({ threads: 1, calls: 0, joins: 0, callerTaskMs: 0, callerWaitMs: 0, workerTaskMs: 0, workerStartMs: 0 });
    expect(setNumThreads(2)).toBe(2);
    expect(threadPoolStats()).toMatchObject({ threads: 2, calls: 0, joins: 0 }); // a new pool
    const rng = generator(8);
    const [a, b] = [randn([300, 128], rng), randn([128, 200], rng)]; // 15 MFLOP: one pool call
    const small = [randn([8, 8], rng), randn([8, 8], rng)]; // one thread: not a pool call
    for (let i = 0; i < 5; i++) {
      matmul(a, b);
      matmul(small[0]!, small[1]!);
    }
    const stats = threadPoolStats({ reset: true });
    expect(stats.calls).toBe(5);
    expect(stats.joins).toBeLessThanOrEqual(5);
    expect(stats.callerTaskMs).toBeGreaterThan(0);
    for (const ms of [stats.callerWaitMs, stats.workerTaskMs, stats.workerStartMs]) expect(ms).toBeGreaterThanOrEqual(0);
    expect(threadPoolStats().calls).toBe(0);
    expect(() => threadPoolStats({ rest: true } as never)).toThrow("threadPoolStats: unknown option 'rest' (expected: reset)");
  });

  it("splits a tall product into row parts on 2 threads with the 1-thread bits (matmul, linearForward)", () => {
    expect(setBackend("wasm")).toBe(true);
    const rng = generator(6);
    const [x, w] = [randn([1000, 128], rng), randn([100, 128], rng)]; // M = 1000 > N = 100: by rows, 7 parts of 144
    const bias = randn([100], rng).data as Float32Array;
    const args = { x: x.data as Float32Array, weight: w.data as Float32Array, bias, rows: 1000, inFeatures: 128, outFeatures: 100 };
    const run = (): Float32Array[] => [matmul(x, w, { transB: true }).data as Float32Array, fusedKernelFor("linearForward")(args), matmul(x, w, { transB: true }).data as Float32Array];
    expect(setNumThreads(1)).toBe(1);
    const one = run();
    expect(setNumThreads(2)).toBe(2);
    const two = run();
    const want = referenceKernel("matmul")([x, w], { transA: false, transB: true }).data;
    for (let i = 0; i < one.length; i++) {
      expect(two[i]!.length).toBe(want.length);
      let differ = 0;
      for (let j = 0; j < want.length; j++) if (!Object.is(two[i]![j], one[i]![j])) differ++;
      expect(differ, `output ${i}`).toBe(0);
    }
    let worst = 0;
    for (let j = 0; j < want.length; j++) worst = Math.max(worst, Math.abs(two[0]![j]! - want[j]!) / (1 + Math.abs(want[j]!)));
    expect(worst).toBeLessThan(1e-4);
  });

  it("cuts the attention forward's last problems into row parts on 2 threads with the 1-thread bits", () => {
    // 8 problems of 1024 rows: 6 whole tasks, then 4 parts of 256 rows for each of the last 2
    const tasks = forwardTasks({ batch: 8, L: 1024, S: 1024, E: 64, Ev: 64 }, 2);
    expect(tasks.length).toBe(14);
    expect(tasks.slice(5, 8)).toEqual([[5, 0, 1024], [6, 0, 256], [6, 256, 256]]);
    expect(forwardTasks({ batch: 8, L: 1024, S: 1024, E: 64, Ev: 64 }, 1).length).toBe(8);
    expect(forwardTasks({ batch: 512, L: 13, S: 13, E: 32, Ev: 32 }, 2).length).toBe(512);
    expect(setBackend("wasm")).toBe(true);
    const rng = generator(7);
    const [batch, L, S, E, Ev] = [8, 300, 160, 40, 112]; // out 268,800 floats: allocated during the tasks
    const offsets = (n: number): Int32Array => Int32Array.from({ length: batch }, (_, b) => b * n);
    const p = {
      batch, L, S, E, Ev, q: randn([batch * L * E], rng).data as Float32Array, k: randn([batch * S * E], rng).data as Float32Array,
      v: randn([batch * S * Ev], rng).data as Float32Array, qOffsets: offsets(L * E), kOffsets: offsets(S * E), vOffsets: offsets(S * Ev),
      mask: null, scale: 0.2, causal: true, dropout: { p: 0.1, seed: 5 },
    };
    const seen = new Uint8Array(batch * L);
    for (const [b, i0, rows] of forwardTasks(p, 2)) for (let i = i0; i < i0 + rows; i++) seen[b * L + i]!++;
    expect(feedProblems(p, aliases(p, layoutOf(p)), forwardTasks(p, 2).length)).toBe(1); // problem 0 copied first, the rest while the worker computes
    expect(seen.every((n) => n === 1)).toBe(true);
    expect(setNumThreads(1)).toBe(1);
    const one = fusedKernelFor("attentionForward")(p);
    expect(setNumThreads(2)).toBe(2);
    const two = fusedKernelFor("attentionForward")(p);
    for (const [name, a, b] of [["out", one.out, two.out], ["logsumexp", one.logsumexp, two.logsumexp]] as const) {
      let differ = 0;
      for (let j = 0; j < a.length; j++) if (!Object.is(a[j], b[j])) differ++;
      expect(differ, name).toBe(0);
    }
  });
});
