import { setBackend } from "@heed/tensor-core";
import { setNumThreads } from "@heed/tensor-core/node";
import { parseNumber } from "./config.js";

let requested = 1;

/** The most `--threads` takes: each thread is a worker with its own memory (a model replica for `train`). */
export const MAX_THREADS = 64;

/**
 * Select the WebAssembly backend with relaxed SIMD (FMA) where the engine has it, and apply
 * `--threads` (default 1). `heed train` leaves the kernels on one thread and uses the threads
 * for data-parallel replicas (parallel/index.ts: `trainThreads()` replicas); every other command
 * runs the kernels on `threads` threads. Intra-op threads barely help training on a 2-core
 * machine: copies into and out of wasm memory, garbage collection and the JS between kernels
 * stay on the main thread (measured on the default g2p model: 383 vs 324–370 words/s).
 */
export function useThreads(flag: string | undefined, command?: string): void {
  const n = flag === undefined ? 1 : parseNumber("--threads", flag, { integer: true, min: 1, max: MAX_THREADS });
  requested = n;
  if (!setBackend("wasm")) return; // no WebAssembly SIMD: the js reference kernels
  setNumThreads(command === "train" ? 1 : n);
}

/** The `--threads` count given to the last `useThreads` (1 before any). */
export function trainThreads(): number {
  return requested;
}
