/**
 * A pool of workers sharing one WebAssembly memory with the calling thread: worker_threads in
 * Node, Web Workers in browsers (cross-origin-isolated pages). Every worker instantiates the
 * same module on the shared memory and waits for a new generation of the control block; `run`
 * opens one, runs the task table on the calling thread too (tasks are claimed with an atomic
 * counter in assembly/tasks.ts), then closes it and waits only for the workers that joined.
 *
 * Waking a sleeping worker is what made threads useless on short calls: measured on a 2-vCPU
 * VM, Atomics.notify returned only once the woken worker had run every task (no overlap), or
 * the worker arrived after the caller had done all the work and made it wait. So a worker spins on the generation word for SPIN_MS after each
 * call before it sleeps in Atomics.wait (a training step calls the kernels every few hundred
 * µs, so the worker stays awake through it), and a worker that arrives late finds the
 * generation closed and does nothing (JOIN: the count of joined workers, or −1 − count once
 * the caller closed it): the caller never waits for a worker that has not started. The caller
 * spins for the joined workers' remainder (at most one task each), blocking in Atomics.wait
 * after WAIT_SPIN_MS where it may (Node, workers; a browser's main thread may not block).
 *
 * A call may publish more tasks while it is open (WasmRuntime.runTasks with `feed`): the caller
 * sets MORE, opens the call with only the first tasks counted, copies the rest of the inputs in,
 * raises COUNT and clears MORE. Tasks are claimed only below COUNT (assembly/tasks.ts), and a
 * worker that runs out while MORE is set waits for it (spin, then Atomics.wait with a timeout)
 * before it takes what is left and reports done.
 *
 * Every call is counted (`stats`, `threadPoolStats()`): the caller's time in its share of the
 * tasks and waiting for the workers, and — written by each worker into its own slot of a small
 * SharedArrayBuffer before it reports done — how many calls it joined, its time in tasks and how
 * long after the call opened it started. Two clock reads per call on each thread.
 */
import { canBlock, nodeBuiltin } from "./environment.js";
import { CTRL, type TaskPool, type WasmRuntime } from "./runtime.js";

interface WorkerData { module: WebAssembly.Module; memory: WebAssembly.Memory; ctrl: number; work: number; gen0: number; spinMs: number; C: typeof CTRL; stats: SharedArrayBuffer; slot: number; clock0: number }

/**
 * The pool's counters since it started (or since `threadPoolStats({ reset: true })`). Times are
 * milliseconds summed over calls (and over workers for the worker fields).
 */
export interface ThreadPoolStats {
  /** Threads including the calling one. */
  threads: number;
  /** Task tables run on the pool (calls of more than one task). */
  calls: number;
  /** Calls that a worker joined, summed over workers (at most calls × (threads − 1)); a worker that arrives after the caller ran every task does not join. */
  joins: number;
  /** The calling thread's time in its own share of the tasks (including any work it does before them, such as allocating an output array). */
  callerTaskMs: number;
  /** The calling thread's time waiting for joined workers to finish their last task. */
  callerWaitMs: number;
  /** The workers' time in tasks (including any wait for tasks the caller publishes while the call is open). */
  workerTaskMs: number;
  /** How long after each call opened the workers that joined it started on its tasks. */
  workerStartMs: number;
}

/** Float64 words per worker slot in the stats buffer: joins, task ms, start ms. Slot 0 holds the open time of the current call. */
const STAT_WORDS = 4;

// The worker's loop, shared by both kinds of worker (plain JavaScript, evaluated there).
const LOOP = `function heedKernelWorker({ module, memory, ctrl, work, gen0, spinMs, C, stats, slot, clock0 }) {
  const i32 = new Int32Array(memory.buffer);
  const st = new Float64Array(stats);
  const at = slot * ${STAT_WORDS};
  const shift = performance.timeOrigin - clock0;
  const clock = () => shift + performance.now();
  const c = ctrl >> 2;
  const abort = () => { throw new Error("wasm worker: kernel aborted"); };
  const { runTasks } = new WebAssembly.Instance(module, { env: { memory, abort } }).exports;
  Atomics.add(i32, c + C.READY, 1);
  Atomics.notify(i32, c + C.READY);
  let gen = gen0;
  for (;;) {
    const until = performance.now() + spinMs;
    for (let n = 1; Atomics.load(i32, c + C.GEN) === gen; n++) {
      if ((n & 63) === 0 && performance.now() > until) Atomics.wait(i32, c + C.GEN, gen);
    }
    gen = Atomics.load(i32, c + C.GEN);
    if (Atomics.load(i32, c + C.STOP) !== 0) break;
    let joined;
    while ((joined = Atomics.load(i32, c + C.JOIN)) >= 0 && Atomics.compareExchange(i32, c + C.JOIN, joined, joined + 1) !== joined);
    if (joined < 0) continue;
    const t0 = clock();
    try {
      runTasks(ctrl, work);
      // the caller may still be publishing tasks (COUNT grows): wait for it, then take what is left
      if (Atomics.load(i32, c + C.MORE) !== 0) {
        const by = performance.now() + spinMs;
        for (let n = 1; Atomics.load(i32, c + C.MORE) !== 0; n++) {
          if ((n & 63) === 0 && performance.now() > by) Atomics.wait(i32, c + C.MORE, 1, 1);
        }
      }
      runTasks(ctrl, work); // whatever was published after the first ran out (nothing, in most calls)
    } catch (e) { Atomics.store(i32, c + C.ERROR, 1); }
    const t1 = clock();
    st[at] += 1;
    st[at + 1] += t1 - t0;
    st[at + 2] += Math.max(0, t0 - st[0]);
    Atomics.add(i32, c + C.DONE, 1);
    Atomics.notify(i32, c + C.DONE);
  }
}`;
const NODE_SOURCE = `${LOOP}\nheedKernelWorker(require("node:worker_threads").workerData);\n`;
const WEB_SOURCE = `${LOOP}\nonmessage = (e) => { onmessage = null; heedKernelWorker(e.data); };\n`;

const START_TIMEOUT_MS = 10_000;
/** How long a worker spins for the next call after finishing one, before it sleeps. */
const SPIN_MS = 2;
/** How long the caller spins for the joined workers' remainder before it sleeps (where it may). */
const WAIT_SPIN_MS = 1;

/** The calling thread's `performance.timeOrigin`: a worker's own differs, so it adds the difference to its `now()` (one clock for all threads, in ms). */
const clock0 = performance.timeOrigin;
const clock = (): number => performance.now();

export class SharedPool implements TaskPool {
  readonly #i32: Int32Array;
  readonly #c: number;
  readonly #block = canBlock();
  /** Slot 0: the open time of the current call; slot t (1 … threads − 1): worker t's counters. */
  readonly statsBuffer: SharedArrayBuffer;
  readonly #st: Float64Array;
  #calls = 0;
  #callerTask = 0;
  #callerWait = 0;

  /** Takes over `workers` (threads − 1 of them, already starting on `rt`'s memory). */
  constructor(rt: WasmRuntime, readonly threads: number, readonly kind: "worker_threads" | "Web Workers", readonly workers: { terminate(): unknown }[]) {
    this.#i32 = new Int32Array(rt.memory.buffer);
    this.#c = rt.ctrl >> 2;
    this.statsBuffer = new SharedArrayBuffer(8 * STAT_WORDS * Math.max(threads, 1));
    this.#st = new Float64Array(this.statsBuffer);
  }

  /** The counters since the pool started or the last reset (read between calls). */
  stats(reset = false): ThreadPoolStats {
    const st = this.#st;
    let [joins, workerTaskMs, workerStartMs] = [0, 0, 0];
    for (let t = 1; t < this.threads; t++) {
      joins += st[t * STAT_WORDS]!;
      workerTaskMs += st[t * STAT_WORDS + 1]!;
      workerStartMs += st[t * STAT_WORDS + 2]!;
    }
    const out = { threads: this.threads, calls: this.#calls, joins, callerTaskMs: this.#callerTask, callerWaitMs: this.#callerWait, workerTaskMs, workerStartMs };
    if (reset) {
      st.fill(0, STAT_WORDS);
      this.#calls = this.#callerTask = this.#callerWait = 0;
    }
    return out;
  }

  /** Workers that have instantiated the module and wait for work. */
  get ready(): number {
    return Atomics.load(this.#i32, this.#c + CTRL.READY);
  }

  run(local: () => void): void {
    const i32 = this.#i32;
    const c = this.#c;
    Atomics.store(i32, c + CTRL.DONE, 0);
    Atomics.store(i32, c + CTRL.ERROR, 0);
    Atomics.store(i32, c + CTRL.JOIN, 0);
    // the open time is written before the generation is (workers read it after they see the new generation)
    const opened = (this.#st[0] = clock());
    Atomics.add(i32, c + CTRL.GEN, 1);
    Atomics.notify(i32, c + CTRL.GEN);
    let joined: number;
    try {
      local();
    } finally {
      // close the generation: a worker that has not joined yet will not touch this call's tasks
      while ((joined = Atomics.load(i32, c + CTRL.JOIN)) >= 0 && Atomics.compareExchange(i32, c + CTRL.JOIN, joined, -1 - joined) !== joined);
      const ran = clock();
      const until = ran + WAIT_SPIN_MS;
      let done: number;
      for (let n = 1; (done = Atomics.load(i32, c + CTRL.DONE)) < joined; n++) {
        if (this.#block && (n & 63) === 0 && clock() > until) Atomics.wait(i32, c + CTRL.DONE, done);
      }
      this.#calls++;
      this.#callerTask += ran - opened;
      this.#callerWait += clock() - ran;
    }
    if (Atomics.load(i32, c + CTRL.ERROR) !== 0) throw new Error(`wasm backend: a kernel failed in a worker thread (threads: ${this.threads})`);
  }

  close(): void {
    const i32 = this.#i32;
    Atomics.store(i32, this.#c + CTRL.STOP, 1);
    Atomics.add(i32, this.#c + CTRL.GEN, 1);
    Atomics.notify(i32, this.#c + CTRL.GEN);
    for (const w of this.workers) void w.terminate();
    this.workers.length = 0;
  }
}

/** Describe worker t's share of `rt` and its slot in the pool's stats buffer. */
function workerData(rt: WasmRuntime, t: number, stats: SharedArrayBuffer): WorkerData {
  return { module: rt.module, memory: rt.memory, ctrl: rt.ctrl, work: rt.work(t), gen0: Atomics.load(new Int32Array(rt.memory.buffer), (rt.ctrl >> 2) + CTRL.GEN), spinMs: SPIN_MS, C: CTRL, stats, slot: t, clock0 };
}

function resetControl(rt: WasmRuntime): void {
  const i32 = new Int32Array(rt.memory.buffer);
  Atomics.store(i32, (rt.ctrl >> 2) + CTRL.STOP, 0);
  Atomics.store(i32, (rt.ctrl >> 2) + CTRL.READY, 0);
}

/** Node: start `threads − 1` worker_threads on `rt` and block (up to 10 s) until they are ready. */
export function startNodePool(rt: WasmRuntime, threads: number): SharedPool {
  const wt = nodeBuiltin("node:worker_threads");
  if (wt === undefined) throw new Error(`wasm backend: worker_threads is unavailable (threads: ${threads})`);
  resetControl(rt);
  const pool = new SharedPool(rt, threads, "worker_threads", []);
  for (let t = 1; t < threads; t++) {
    const w = new wt.Worker(NODE_SOURCE, { eval: true, workerData: workerData(rt, t, pool.statsBuffer) });
    w.unref();
    pool.workers.push(w);
  }
  const i32 = new Int32Array(rt.memory.buffer);
  const at = (rt.ctrl >> 2) + CTRL.READY;
  const deadline = Date.now() + START_TIMEOUT_MS;
  let ready: number;
  while ((ready = Atomics.load(i32, at)) < threads - 1 && Date.now() < deadline) Atomics.wait(i32, at, ready, 100);
  if (ready < threads - 1) {
    pool.close();
    throw new Error(`wasm backend: only ${ready} of ${threads - 1} worker threads started within 10 s`);
  }
  return pool;
}

/** Browsers: start `threads − 1` Web Workers (from a Blob: no extra file to serve) and wait until they are ready. */
export async function startWebPool(rt: WasmRuntime, threads: number): Promise<SharedPool> {
  resetControl(rt);
  const url = URL.createObjectURL(new Blob([WEB_SOURCE], { type: "text/javascript" }));
  const failed: { message: string | null } = { message: null };
  const workers: Worker[] = [];
  const pool = new SharedPool(rt, threads, "Web Workers", workers);
  try {
    for (let t = 1; t < threads; t++) {
      const w = new Worker(url, { name: `heed-kernels-${t}` });
      w.addEventListener("error", (e) => (failed.message ??= e.message || "a worker failed to start"));
      w.postMessage(workerData(rt, t, pool.statsBuffer));
      workers.push(w);
    }
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (pool.ready < threads - 1 && failed.message === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
  } finally {
    URL.revokeObjectURL(url);
  }
  if (pool.ready < threads - 1) {
    const ready = pool.ready;
    pool.close();
    throw new Error(`wasm backend: only ${ready} of ${threads - 1} Web Workers started within 10 s${failed.message === null ? "" : ` (${failed.message})`}`);
  }
  return pool;
}
