/**
 * The `wasm` backend: WebAssembly SIMD kernels for matmul, softmax, logSoftmax, add, sub,
 * mul, div, relu, reluGrad, sum, fused attention forward/backward, dropout, layer norm, residual + dropout + layer norm and the Adam update (float32),
 * composed over the reference `js` kernels for everything else. Select it with
 * `setBackend('wasm')` (synchronous compile: Node, workers) or `await setBackendAsync('wasm')`
 * (browsers). Threads: `await setNumThreads(n)` (or the synchronous one of `@heed/tensor-core/node`).
 */
import type { Backend } from "../backend.js";
import { adamStep, adamStepMulti } from "./adam.js";
import { wasmFusedKernels } from "./attention.js";
import { dropout } from "./dropout.js";
import { add, div, mul, relu, reluGrad, sub, sum } from "./elementwise.js";
import { layerNormBackward, layerNormForward } from "./layer-norm.js";
import { linearBackward } from "./linear-backward.js";
import { linearReluDropout, reluDropoutBackward } from "./linear-relu-dropout.js";
import { linearForward, matmul } from "./matmul.js";
import { residualLayerNormBackward, residualLayerNormForward } from "./residual-layer-norm.js";
import { logSoftmax, softmax } from "./softmax.js";
import { initRuntime, initRuntimeSync } from "./state.js";

export const wasmBackend: Backend = {
  name: "wasm",
  kernels: { matmul, softmax, logSoftmax, add, sub, mul, div, relu, reluGrad, sum },
  fused: { ...wasmFusedKernels, dropout, layerNormForward, layerNormBackward, adamStep, adamStepMulti, linearForward, linearBackward, linearReluDropout, reluDropoutBackward, residualLayerNormForward, residualLayerNormBackward },
  initSync: initRuntimeSync,
  init: initRuntime,
};

export { wasmInfo, type WasmInfo } from "./state.js";
export { getNumThreads, setNumThreads, threadPoolStats, type ThreadPoolStats } from "./threads.js";
