/**
 * The wasm backend's current runtime. Single-threaded by default (private memory, works
 * everywhere WebAssembly SIMD does); the Node entry swaps in a shared-memory runtime with
 * a worker pool (`setNumThreads`).
 */
import { variantBytes, wasmSupported } from "./module.js";
import { WasmRuntime } from "./runtime.js";

let runtime: WasmRuntime | null = null;

/** Compile and instantiate synchronously (Node, workers; browsers may refuse large modules on the main thread). */
export function initRuntimeSync(): boolean {
  if (runtime !== null) return true;
  try {
    if (!wasmSupported()) return false;
    const { bytes, relaxed } = variantBytes(false);
    runtime = WasmRuntime.create(new WebAssembly.Module(bytes), false, relaxed);
    return true;
  } catch {
    return false;
  }
}

/** Compile and instantiate asynchronously. */
export async function initRuntime(): Promise<boolean> {
  if (runtime !== null) return true;
  try {
    if (!wasmSupported()) return false;
    const { bytes, relaxed } = variantBytes(false);
    const module = await WebAssembly.compile(bytes);
    runtime ??= WasmRuntime.create(module, false, relaxed);
    return true;
  } catch {
    return false;
  }
}

/** The current runtime; kernels only run after `setBackend('wasm')` initialised it. */
export function getRuntime(): WasmRuntime {
  if (runtime === null && !initRuntimeSync()) {
    throw new Error("wasm backend: WebAssembly SIMD is not available in this environment; use setBackend('js')");
  }
  return runtime!;
}

/** Replace the runtime (closing the old one's worker pool); null returns to lazy single-threaded set-up. */
export function replaceRuntime(next: WasmRuntime | null): void {
  if (runtime !== null && runtime !== next) runtime.pool?.close();
  runtime = next;
}

/** Whether a runtime is instantiated, and its features (for benchmarks and diagnostics). */
export function wasmInfo(): { ready: boolean; relaxedSimd: boolean; sharedMemory: boolean; threads: number } {
  return {
    ready: runtime !== null,
    relaxedSimd: runtime?.relaxed ?? false,
    sharedMemory: runtime?.shared ?? false,
    threads: runtime?.threads ?? 1,
  };
}
