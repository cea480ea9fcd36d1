import { setBackend } from "@heed/tensor-core";
import { setNumThreads } from "@heed/tensor-core/node";
import { parseNumber } from "./config.js";

/**
 * Select the WebAssembly backend on `threads` threads (default 1) with relaxed SIMD (FMA) where
 * the engine has it. One thread is the default: on a 2-core machine the worker competes with
 * V8's garbage-collector threads and copies through shared memory cost more, so training the
 * default g2p model is slower on 2 threads (measured: 383 vs 324–370 words/s).
 */
export function useThreads(flag: string | undefined): void {
  const n = flag === undefined ? 1 : parseNumber("--threads", flag, { integer: true, min: 1 });
  if (!setBackend("wasm")) return; // no WebAssembly SIMD: the js reference kernels
  setNumThreads(n);
}
