/**
 * `setNumThreads`: the wasm kernels on n threads — the calling thread plus n − 1 workers on
 * shared WebAssembly memory (worker_threads in Node, Web Workers in cross-origin-isolated
 * pages) — or back to one thread. Falls back to one thread, saying why in `wasmInfo().note`,
 * where shared memory is unavailable.
 */
import { describeValue } from "../../options.js";
import { availableCores, isNode, threadsUnavailable } from "./environment.js";
import { kernelFilesMissing, loadVariant, loadVariantSync } from "./loader.js";
import { wasmSupported } from "./module.js";
import { startNodePool, startWebPool, type ThreadPoolStats } from "./pool.js";
import { WasmRuntime } from "./runtime.js";
import { currentRuntime, defaultVariant, replaceRuntime, wasmInfo } from "./state.js";

/**
 * The most threads `setNumThreads` starts. Each is a worker with its own JavaScript engine
 * (~10 MB), and the kernels' workers spin while they wait for tasks, so threads beyond the
 * cores only slow the kernels down; a mistyped count (1000) would otherwise spend tens of
 * seconds starting workers before failing.
 */
const MAX_THREADS = 256;

function check(fn: string, n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new Error(`${fn}: expected a positive integer, got ${typeof n === "number" ? n : describeValue(n)}`);
  if (n > MAX_THREADS) throw new Error(`${fn}: expected at most ${MAX_THREADS} threads (this machine has ${availableCores()} cores), got ${n}`);
  if (!wasmSupported()) throw new Error(`${fn}: WebAssembly SIMD is not available (threads: ${n})`);
}

/** One thread on private memory, noting why. */
function single(module: WebAssembly.Module, relaxed: boolean, why: string): number {
  replaceRuntime(WasmRuntime.create(module, false, relaxed), why);
  return 1;
}

/** Node only: `setNumThreads` without waiting for a promise (the worker_threads start is awaited by blocking). */
export function setNumThreadsSync(n: number = availableCores()): number {
  check("setNumThreads", n);
  if (!isNode()) throw new Error(`setNumThreads: a browser starts its workers asynchronously; use \`await setNumThreads(${n})\` from @heed/tensor-core`);
  const unavailable = n > 1 ? threadsUnavailable() : null;
  const { variant } = defaultVariant(n > 1 && unavailable === null);
  const loaded = loadVariantSync(variant);
  if (loaded === null) throw new Error(`setNumThreads: ${kernelFilesMissing() ?? `${variant} not loaded`}; use \`await setNumThreads(${n})\` from @heed/tensor-core, which loads the embedded copy`);
  const { module, relaxed } = loaded;
  if (n === 1 || unavailable !== null) return single(module, relaxed, n === 1 ? "one thread (setNumThreads(1))" : `one thread: ${unavailable}`);
  const rt = WasmRuntime.create(module, true, relaxed);
  rt.pool = startNodePool(rt, n);
  replaceRuntime(rt, `${n} threads (worker_threads on shared memory)`);
  return n;
}

/**
 * Run the wasm backend's kernels (matmul, softmax, attention, …) on `n` threads: this thread
 * plus n − 1 workers sharing its WebAssembly memory; n = 1 returns to one thread, and at most
 * 256 threads start. Default: all cores. In browsers the page must be cross-origin isolated (COOP/COEP headers), else it
 * stays on one thread and `wasmInfo().note` says why. Resolves to the thread count now in use.
 *
 * @example
 * import { setBackendAsync, setNumThreads, wasmInfo } from "@heed/tensor-core";
 * await setBackendAsync("wasm");
 * await setNumThreads(2);   // 2 where the page is cross-origin isolated, else 1
 * wasmInfo().note;          // "2 threads (Web Workers on shared memory)"
 */
export async function setNumThreads(n: number = availableCores()): Promise<number> {
  check("setNumThreads", n);
  const unavailable = n > 1 ? threadsUnavailable() : null;
  const { variant } = defaultVariant(n > 1 && unavailable === null);
  const { module, relaxed } = await loadVariant(variant); // Node: from disk, or the embedded copy (a bundle without the files)
  if (isNode()) return setNumThreadsSync(n);
  if (n === 1 || unavailable !== null) return single(module, relaxed, n === 1 ? "one thread (setNumThreads(1))" : `one thread: ${unavailable}`);
  const rt = WasmRuntime.create(module, true, relaxed);
  rt.pool = await startWebPool(rt, n);
  replaceRuntime(rt, `${n} threads (Web Workers on shared memory)`);
  return n;
}

/** Threads the wasm backend uses now. */
export function getNumThreads(): number {
  return wasmInfo().threads;
}

/**
 * Counters of the thread pool since `setNumThreads` started it (or since the last call with
 * `{ reset: true }`): how many kernel calls ran on it, how many of them each worker joined, and
 * where the time went — the calling thread's own share of the tasks and its wait for the
 * workers' last tasks, the workers' time in tasks and how late they started. For diagnosing how
 * well the threads pay off (e.g. `workerTaskMs / callerTaskMs`, or `callerWaitMs / calls`); on
 * one thread every count is 0.
 *
 * @example
 * import { setNumThreads, threadPoolStats } from "@heed/tensor-core/node";
 * setNumThreads(2);
 * threadPoolStats({ reset: true });
 * // … run a training step …
 * const s = threadPoolStats(); // { threads: 2, calls: 6, joins: 6, callerTaskMs: 5.1, callerWaitMs: 0.2, workerTaskMs: 4.9, workerStartMs: 0.01 }
 */
export function threadPoolStats(options: { reset?: boolean } = {}): ThreadPoolStats {
  const unknown = Object.keys(options).filter((k) => k !== "reset");
  if (unknown.length > 0) throw new Error(`threadPoolStats: unknown option ${unknown.map((k) => `'${k}'`).join(", ")} (expected: reset)`);
  const pool = currentRuntime()?.pool ?? null;
  if (pool === null) return { threads: 1, calls: 0, joins: 0, callerTaskMs: 0, callerWaitMs: 0, workerTaskMs: 0, workerStartMs: 0 };
  return pool.stats(options.reset === true);
}

export type { ThreadPoolStats };
