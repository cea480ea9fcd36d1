/**
 * The wasm backend's current runtime. By default one thread on private memory with the
 * fastest variant the engine validates (relaxed SIMD where available; in Node 20 its flag is
 * switched on first), started synchronously in Node and by `setBackendAsync('wasm')` in
 * browsers. `setNumThreads` swaps in a shared-memory runtime with a worker pool.
 */
import { isNode, tryEnableRelaxedFlag } from "./environment.js";
import { kernelFilesMissing, loadedVariant, loadVariant, loadVariantSync, type KernelSource } from "./loader.js";
import { fileOf, relaxedSupported, variantOf, wasmSupported, type Variant } from "./module.js";
import { WasmRuntime } from "./runtime.js";

let runtime: WasmRuntime | null = null;
let note = "";

const NOT_LOADED = "not loaded yet: in browsers the kernels load asynchronously, so call `await setBackendAsync('wasm')` (or `await setNumThreads(n)`) before the first op; until then ops run on the 'js' backend";
const NO_SIMD = "WebAssembly SIMD is not available in this engine; ops run on the 'js' backend";

/** The variant for one thread on private memory (switching relaxed SIMD on first where a flag does it). */
export function defaultVariant(shared = false): { variant: Variant; relaxed: boolean } {
  tryEnableRelaxedFlag();
  const relaxed = relaxedSupported();
  return { variant: variantOf(relaxed, shared), relaxed };
}

/** Why no runtime started synchronously: a browser loads asynchronously; a bundle without the kernel files uses the embedded copy, also asynchronously. */
function notLoaded(): string {
  const missing = kernelFilesMissing();
  return missing === null ? NOT_LOADED : `not loaded yet: ${missing}, so the embedded copy loads asynchronously: call \`await setBackendAsync('wasm')\` (or \`await setNumThreads(n)\`) before the first op; until then ops run on the 'js' backend`;
}

function defaultNote(): string {
  return `one thread (the default; setNumThreads(n) for more${isNode() ? "" : " on a cross-origin-isolated page"})`;
}

/** Start the default runtime synchronously: always in Node; in browsers only if its module was loaded before. */
export function initRuntimeSync(): boolean {
  if (runtime !== null) return true;
  if (!wasmSupported()) {
    note = NO_SIMD;
    return false;
  }
  try {
    const loaded = loadVariantSync(defaultVariant().variant);
    if (loaded === null) {
      note = notLoaded();
      return false;
    }
    replaceRuntime(WasmRuntime.create(loaded.module, false, loaded.relaxed), defaultNote());
    return true;
  } catch (e) {
    note = `could not start: ${(e as Error).message}`;
    return false;
  }
}

/** Start the default runtime, loading its module asynchronously where needed (browsers). */
export async function initRuntime(): Promise<boolean> {
  if (runtime !== null) return true;
  if (!wasmSupported()) {
    note = NO_SIMD;
    return false;
  }
  try {
    const loaded = await loadVariant(defaultVariant().variant);
    if (runtime === null) replaceRuntime(WasmRuntime.create(loaded.module, false, loaded.relaxed), defaultNote());
    return true;
  } catch (e) {
    note = `could not start: ${(e as Error).message}`;
    return false;
  }
}

/** The current runtime; kernels only run after `setBackend('wasm')` initialised it. */
export function getRuntime(): WasmRuntime {
  if (runtime === null && !initRuntimeSync()) {
    throw new Error(`wasm backend: ${note}; use setBackend('js') or start it first`);
  }
  return runtime!;
}

/** The current runtime, or null if none started (never starts one). */
export function currentRuntime(): WasmRuntime | null {
  return runtime;
}

/** Replace the runtime (closing the old one's worker pool), saying why it is what it is; null returns to a lazy start. */
export function replaceRuntime(next: WasmRuntime | null, why = ""): void {
  if (runtime !== null && runtime !== next) runtime.pool?.close();
  runtime = next;
  note = next === null ? "" : why;
}

/** The wasm backend's state, for diagnostics and benchmarks. */
export interface WasmInfo {
  /** Whether a runtime is instantiated. */
  ready: boolean;
  /** The kernel file in use (kernels-relaxed.wasm, kernels-simd-mt.wasm, …), or null. */
  variant: string | null;
  relaxedSimd: boolean;
  sharedMemory: boolean;
  threads: number;
  /**
   * How the kernel file was loaded: "file" (read from disk next to the package, Node), "url"
   * (fetched, e.g. the asset a bundler emitted), "embedded" (the plain-SIMD copy inside the
   * JavaScript, used where the file could not be loaded: esbuild bundles), or null.
   */
  source: KernelSource | null;
  /** The file or URL the kernels were read from; for "embedded", why the file was not used. Null when not ready. */
  sourceDetail: string | null;
  /** Why the backend is in this state: what started it, or why it runs on one thread or not at all. */
  note: string;
}

/** Whether a runtime is instantiated, its variant and thread count, and why. */
export function wasmInfo(): WasmInfo {
  const variant = runtime === null ? null : variantOf(runtime.relaxed, runtime.shared);
  const loaded = variant === null ? undefined : loadedVariant(variant);
  return {
    ready: runtime !== null,
    variant: variant === null ? null : fileOf(variant),
    relaxedSimd: runtime?.relaxed ?? false,
    sharedMemory: runtime?.shared ?? false,
    threads: runtime?.threads ?? 1,
    source: loaded?.source ?? null,
    sourceDetail: loaded?.from ?? null,
    note: runtime === null && note === "" ? (isNode() && kernelFilesMissing() === null ? "not started yet (starts at the first op)" : notLoaded()) : note,
  };
}
