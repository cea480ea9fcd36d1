/**
 * A pool of worker_threads sharing one WebAssembly memory with the main thread. Every
 * worker instantiates the same module on the shared memory and sleeps in Atomics.wait on
 * a generation counter; `run` bumps it, runs the task table on the main thread too (tasks
 * are claimed with an atomic counter in assembly/tasks.ts) and waits until every worker
 * has checked in. The main thread blocks in Atomics.wait, which Node allows.
 */
import { Worker } from "node:worker_threads";
import { CTRL, type TaskPool, type WasmRuntime } from "../backend/wasm/runtime.js";

// CommonJS source evaluated in each worker: works the same from src/ (vitest) and dist/.
const WORKER_SOURCE = `
const { workerData } = require("node:worker_threads");
const { module, memory, ctrl, work, gen0, C } = workerData;
const i32 = new Int32Array(memory.buffer);
const c = ctrl >> 2;
const abort = () => { throw new Error("wasm worker: kernel aborted"); };
const { runTasks } = new WebAssembly.Instance(module, { env: { memory, abort } }).exports;
Atomics.add(i32, c + C.READY, 1);
Atomics.notify(i32, c + C.READY);
let gen = gen0;
for (;;) {
  Atomics.wait(i32, c + C.GEN, gen);
  gen = Atomics.load(i32, c + C.GEN);
  if (Atomics.load(i32, c + C.STOP) !== 0) break;
  try { runTasks(ctrl, work); } catch (e) { Atomics.store(i32, c + C.ERROR, 1); }
  Atomics.add(i32, c + C.DONE, 1);
  Atomics.notify(i32, c + C.DONE);
}
`;

export class WorkerPool implements TaskPool {
  readonly threads: number;
  readonly #workers: Worker[] = [];
  readonly #i32: Int32Array;
  readonly #c: number;

  /** Start `threads − 1` workers on a shared-memory runtime and wait (up to 10 s) until they are ready. */
  constructor(rt: WasmRuntime, threads: number) {
    if (!rt.shared) throw new Error(`WorkerPool: the runtime's memory is not shared (threads: ${threads})`);
    this.threads = threads;
    this.#i32 = new Int32Array(rt.memory.buffer);
    this.#c = rt.ctrl >> 2;
    const i32 = this.#i32;
    const c = this.#c;
    Atomics.store(i32, c + CTRL.STOP, 0);
    Atomics.store(i32, c + CTRL.READY, 0);
    const gen0 = Atomics.load(i32, c + CTRL.GEN);
    for (let t = 1; t < threads; t++) {
      const workerData = { module: rt.module, memory: rt.memory, ctrl: rt.ctrl, work: rt.work(t), gen0, C: CTRL };
      const w = new Worker(WORKER_SOURCE, { eval: true, workerData });
      w.unref();
      this.#workers.push(w);
    }
    const deadline = Date.now() + 10_000;
    let ready: number;
    while ((ready = Atomics.load(i32, c + CTRL.READY)) < threads - 1 && Date.now() < deadline) Atomics.wait(i32, c + CTRL.READY, ready, 100);
    if (ready < threads - 1) {
      this.close();
      throw new Error(`WorkerPool: only ${ready} of ${threads - 1} workers started within 10 s`);
    }
  }

  run(local: () => void): void {
    const i32 = this.#i32;
    const c = this.#c;
    const workers = this.#workers.length;
    Atomics.store(i32, c + CTRL.DONE, 0);
    Atomics.store(i32, c + CTRL.ERROR, 0);
    Atomics.add(i32, c + CTRL.GEN, 1);
    Atomics.notify(i32, c + CTRL.GEN);
    try {
      local();
    } finally {
      let done: number;
      while ((done = Atomics.load(i32, c + CTRL.DONE)) < workers) Atomics.wait(i32, c + CTRL.DONE, done);
    }
    if (Atomics.load(i32, c + CTRL.ERROR) !== 0) throw new Error(`WorkerPool: a kernel failed in a worker thread (threads: ${this.threads})`);
  }

  close(): void {
    const i32 = this.#i32;
    Atomics.store(i32, this.#c + CTRL.STOP, 1);
    Atomics.add(i32, this.#c + CTRL.GEN, 1);
    Atomics.notify(i32, this.#c + CTRL.GEN);
    for (const w of this.#workers) void w.terminate();
    this.#workers.length = 0;
  }
}
