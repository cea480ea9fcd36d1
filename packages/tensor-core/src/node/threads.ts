/**
 * Thread and engine settings of the wasm backend for Node, synchronous (worker_threads start
 * while the caller blocks). The main entry's `setNumThreads` does the same and returns a
 * promise (what browsers need).
 */
import { tryEnableRelaxedFlag } from "../backend/wasm/environment.js";
import { relaxedSupported } from "../backend/wasm/module.js";
import { getNumThreads, setNumThreadsSync, threadPoolStats, type ThreadPoolStats } from "../backend/wasm/threads.js";

/**
 * Turn on relaxed SIMD (fused multiply-add, ~20% faster matmul) where the engine has it
 * behind a flag (Node 20: `--experimental-wasm-relaxed-simd`, set at run time through
 * node:v8). The wasm backend already does this when it starts; kept for explicit use.
 * Returns whether relaxed SIMD is available.
 */
export function enableRelaxedSimd(): boolean {
  tryEnableRelaxedFlag();
  return relaxedSupported();
}

/**
 * Run the wasm backend's kernels on `n` threads (the calling thread plus n − 1
 * worker_threads sharing WebAssembly memory); n = 1 returns to one thread, and at most 256
 * threads start. Default: the available cores. Falls back to one thread where shared memory is unavailable
 * (`wasmInfo().note` says why). Returns the thread count now in use.
 *
 * @example
 * import { setNumThreads } from "@heed/tensor-core/node";
 * setNumThreads();        // all cores
 */
export function setNumThreads(n?: number): number {
  return setNumThreadsSync(n);
}

export { getNumThreads, threadPoolStats, type ThreadPoolStats };
