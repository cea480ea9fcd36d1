/**
 * Thread and engine settings of the wasm backend for Node (worker_threads, node:v8).
 * Browser code uses the single-threaded wasm backend from the main entry.
 */
import { availableParallelism } from "node:os";
import { setFlagsFromString } from "node:v8";
import { relaxedSupported, variantBytes, wasmSupported } from "../backend/wasm/module.js";
import { WasmRuntime } from "../backend/wasm/runtime.js";
import { replaceRuntime, wasmInfo } from "../backend/wasm/state.js";
import { WorkerPool } from "./pool.js";

let relaxedTried = false;

/**
 * Turn on relaxed SIMD (fused multiply-add, ~20% faster matmul) where the engine has it
 * behind a flag (Node 20: `--experimental-wasm-relaxed-simd`, set at run time through
 * node:v8). Node 22+ has it on by default. Returns whether relaxed SIMD is available;
 * the wasm backend picks it up at its next (re)initialisation.
 */
export function enableRelaxedSimd(): boolean {
  if (!relaxedTried && !relaxedSupported()) {
    relaxedTried = true;
    try {
      setFlagsFromString("--experimental-wasm-relaxed-simd");
    } catch {
      // unknown flag on this engine: keep plain SIMD
    }
  }
  return relaxedSupported();
}

/**
 * Run the wasm backend's matmul and softmax on `n` threads (the calling thread plus n − 1
 * worker_threads sharing WebAssembly memory); n = 1 returns to one thread. Default: the
 * available cores. Also enables relaxed SIMD (see `enableRelaxedSimd`). Falls back to one
 * thread where shared memory is unavailable. Returns the thread count now in use.
 *
 * @example
 * import { setBackend } from "@heed/tensor-core";
 * import { setNumThreads } from "@heed/tensor-core/node";
 * setBackend("wasm");
 * setNumThreads();        // all cores
 */
export function setNumThreads(n: number = availableParallelism()): number {
  if (!Number.isInteger(n) || n < 1) throw new Error(`setNumThreads: expected a positive integer, got ${n}`);
  if (!wasmSupported()) throw new Error(`setNumThreads: WebAssembly SIMD is not available (threads: ${n})`);
  enableRelaxedSimd();
  const shared = n > 1 && typeof SharedArrayBuffer === "function";
  const { bytes, relaxed } = variantBytes(shared);
  const rt = WasmRuntime.create(new WebAssembly.Module(bytes), shared, relaxed);
  if (shared) rt.pool = new WorkerPool(rt, n);
  replaceRuntime(rt);
  return rt.threads;
}

/** Threads the wasm backend uses now. */
export function getNumThreads(): number {
  return wasmInfo().threads;
}
