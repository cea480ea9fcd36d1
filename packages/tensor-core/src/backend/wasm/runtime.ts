/**
 * One instance of the kernel module and its linear memory, laid out as
 *
 *   [static data | control block | task table | one work area per thread | data scratch]
 *
 * Tensor data stays in JS typed arrays; a kernel reserves scratch bytes for its inputs and
 * outputs, copies in, fills the task table, runs it and copies the result out. Memory grows
 * to the largest call and is reused (never freed), so a training loop stays flat.
 */
import { CTRL_COUNT, CTRL_DONE, CTRL_ERROR, CTRL_GEN, CTRL_JOIN, CTRL_MORE, CTRL_NEXT, CTRL_READY, CTRL_STOP, CTRL_TABLE, TASK_WORDS } from "./abi.js";
import { takeFloat32 } from "../../storage-pool.js";
import { createMemory, importsFor, type KernelExports } from "./module.js";
import type { ThreadPoolStats } from "./pool.js";

/** Runs the task table on extra threads (pool.ts: worker_threads in Node, Web Workers in browsers). */
export interface TaskPool {
  /** Threads including the calling one. */
  readonly threads: number;
  /** Wake the workers on the current task table, run `local` on this thread, wait for all. */
  run(local: () => void): void;
  /** Stop the workers. */
  close(): void;
  /** Counters of the calls run so far (pool.ts: ThreadPoolStats); `reset` starts them again from 0. */
  stats(reset?: boolean): ThreadPoolStats;
}

export { TASK_WORDS };
export const MAX_TASKS = 1024;
/** Control block words (i32 indices from ctrl; values in abi.ts): NEXT, COUNT and TABLE are read by assembly/tasks.ts. */
export const CTRL = {
  NEXT: CTRL_NEXT, COUNT: CTRL_COUNT, TABLE: CTRL_TABLE, GEN: CTRL_GEN, DONE: CTRL_DONE, STOP: CTRL_STOP, READY: CTRL_READY, ERROR: CTRL_ERROR, JOIN: CTRL_JOIN, MORE: CTRL_MORE,
} as const;
const CTRL_BYTES = 64;
const align = (n: number, a = 64): number => Math.ceil(n / a) * a;

/** An array for n floats (from the backward pass's storage pool when one is open; not zeroed) with every 4 KB page written once (faulted in now, not during the copy out). */
function touched(n: number): Float32Array {
  const out = takeFloat32(n, false);
  for (let i = 0; i < n; i += 1024) out[i] = 0;
  return out;
}

export class WasmRuntime {
  readonly exports: KernelExports;
  readonly ctrl: number;
  readonly table: number;
  readonly workBytes: number;
  readonly workBase: number;
  pool: TaskPool | null = null;
  #buffer: ArrayBufferLike | null = null;
  #f32 = new Float32Array(0);
  #i32 = new Int32Array(0);
  #earlyFloats = 0;
  #early: Float32Array | null = null;

  constructor(
    readonly module: WebAssembly.Module,
    readonly memory: WebAssembly.Memory,
    readonly shared: boolean,
    readonly relaxed: boolean,
  ) {
    this.exports = new WebAssembly.Instance(module, importsFor(memory)).exports as unknown as KernelExports;
    this.ctrl = align(this.exports.heapBase());
    this.table = this.ctrl + CTRL_BYTES;
    this.workBytes = align(this.exports.gemmWorkBytes() + this.exports.attentionWorkBytes());
    this.workBase = align(this.table + MAX_TASKS * TASK_WORDS * 4);
  }

  static create(module: WebAssembly.Module, shared: boolean, relaxed: boolean): WasmRuntime {
    return new WasmRuntime(module, createMemory(shared), shared, relaxed);
  }

  get threads(): number {
    return this.pool?.threads ?? 1;
  }

  /** Work area of thread t (0 = the calling thread). */
  work(t: number): number {
    return this.workBase + t * this.workBytes;
  }

  /** Make `bytes` of scratch available; returns its (64-byte aligned) start, after the work areas. */
  reserve(bytes: number): number {
    const base = this.work(Math.max(this.threads, 1));
    const need = base + bytes;
    const have = this.memory.buffer.byteLength;
    if (need > have) this.memory.grow(Math.ceil((need - have) / 65536));
    return base;
  }

  /** Reserve scratch for blocks of the given byte sizes; returns each block's (64-byte aligned) start. */
  layout(sizes: readonly number[]): number[] {
    const starts: number[] = [];
    let at = 0;
    for (const s of sizes) {
      starts.push(at);
      at += align(s);
    }
    const base = this.reserve(at);
    return starts.map((s) => base + s);
  }

  /** Float32 view of the whole memory (re-created after growth). */
  get f32(): Float32Array {
    this.#refresh();
    return this.#f32;
  }

  get u8(): Uint8Array {
    return new Uint8Array(this.memory.buffer);
  }

  get i32(): Int32Array {
    this.#refresh();
    return this.#i32;
  }

  #refresh(): void {
    const buf = this.memory.buffer;
    if (buf !== this.#buffer || this.#f32.byteLength !== buf.byteLength) {
      this.#buffer = buf;
      this.#f32 = new Float32Array(buf);
      this.#i32 = new Int32Array(buf);
    }
  }

  /**
   * A new Float32Array holding `n` floats from byte address `ptr`. (`set` from a subarray:
   * `slice` on a view of wasm memory copies element by element, ~10× slower.) Uses the array
   * that the last parallel `runTasks` allocated after `allocateDuringTasks(n)`, if any.
   */
  read(ptr: number, n: number): Float32Array {
    const early = this.#early;
    this.#early = null;
    // every element is written next, so the array need not be zeroed
    const out = early !== null && early.length === n ? early : takeFloat32(n, false);
    out.set(this.f32.subarray(ptr >> 2, (ptr >> 2) + n));
    return out;
  }

  /**
   * Let the next `runTasks`, when it runs on the pool, allocate the array for the next `read`
   * of n floats on this thread while the workers start on the tasks: a fresh array's page
   * faults are the larger part of a copy out, and this takes them off the serial path.
   */
  allocateDuringTasks(n: number): void {
    this.#earlyFloats = n;
    this.#early = null;
  }

  /** Write task record `i` (op code + up to 15 i32 arguments). */
  setTask(i: number, words: readonly number[]): void {
    const i32 = this.i32;
    const at = (this.table >> 2) + i * TASK_WORDS;
    for (let w = 0; w < words.length; w++) i32[at + w] = words[w]!;
  }

  /**
   * Run tasks 0..count-1 of the table, on the pool when `parallel` and one is attached. With
   * `feed`, only tasks 0..feed.first-1 have their inputs in memory yet: on the pool the workers
   * start on those while this thread runs `feed.fill()` (copying the rest in), then the rest
   * are published; otherwise `fill` runs first.
   */
  runTasks(count: number, parallel: boolean, feed?: { first: number; fill: () => void }): void {
    if (count > MAX_TASKS) throw new Error(`wasm backend: ${count} tasks exceed the table size ${MAX_TASKS}`);
    const pooled = parallel && this.pool !== null && count > 1;
    if (feed !== undefined && !(pooled && feed.first > 0 && feed.first < count)) {
      feed.fill();
      feed = undefined;
    }
    const i32 = this.i32;
    const c = this.ctrl >> 2;
    i32[c + CTRL.NEXT] = 0;
    i32[c + CTRL.COUNT] = feed === undefined ? count : feed.first;
    i32[c + CTRL.TABLE] = this.table;
    const local = (): void => this.exports.runTasks(this.ctrl, this.work(0));
    const n = this.#earlyFloats;
    this.#earlyFloats = 0;
    if (pooled) {
      const fed = feed;
      if (fed !== undefined) Atomics.store(i32, c + CTRL.MORE, 1);
      this.pool!.run(n === 0 && fed === undefined ? local : () => {
        if (fed !== undefined) {
          try {
            fed.fill();
          } finally {
            Atomics.store(i32, c + CTRL.COUNT, count);
            Atomics.store(i32, c + CTRL.MORE, 0);
            Atomics.notify(i32, c + CTRL.MORE);
          }
        }
        if (n !== 0) this.#early = touched(n);
        local();
      });
    } else local();
  }
}
