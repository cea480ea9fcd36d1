// Entry point of the tensor-core WebAssembly kernels (built by scripts/build-wasm.mjs in
// four variants: SIMD or relaxed SIMD (FMA), each single-threaded or with shared memory).
export { sgemm, gemmWorkBytes } from "./matmul";
export { softmaxRows } from "./softmax";
export { runTasks } from "./tasks";
export { attentionWorkBytes } from "./attention";
// Exported only so that binaryen does not inline them into their callers (the GEMM's micro-kernel
// and the attention forward), where TurboFan spilled their accumulators (see mk6.ts).
export { mk6, mk6Acc } from "./mk6";

/** First free byte after the module's static data: the JS side allocates from here. */
export function heapBase(): usize {
  return __heap_base;
}
export { binaryF32, reluF32, reluGradF32, sumF32 } from "./elementwise";
export { dropoutF32 } from "./dropout";
export { layerNormForwardF32, layerNormBackwardF32 } from "./layer-norm";
export { adamStepF32 } from "./adam";
