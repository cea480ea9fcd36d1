/**
 * @heed/tensor-core/node — Node-only settings of the wasm backend: threads
 * (`setNumThreads`, worker_threads + shared WebAssembly memory) and relaxed SIMD.
 * Everything else comes from the main entry, `@heed/tensor-core`.
 */
export { enableRelaxedSimd, getNumThreads, setNumThreads, threadPoolStats, type ThreadPoolStats } from "./threads.js";
