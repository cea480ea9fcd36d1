/**
 * What the engine offers the wasm backend. Node's built-ins are reached through
 * `process.getBuiltinModule` (Node ≥ 20.16), not through import statements, so browser
 * bundles of this package hold nothing Node-only while Node still gets a synchronous,
 * zero-configuration start (the kernel file read from disk, relaxed SIMD switched on).
 */

interface NodeFs {
  readFileSync(path: URL): Uint8Array;
}
interface NodeV8 {
  setFlagsFromString(flags: string): void;
}
interface NodeOs {
  availableParallelism(): number;
}

/** The part of node:worker_threads the pool uses. */
export interface NodeWorkerThreads {
  Worker: new (source: string, options: { eval: true; workerData: unknown }) => { unref(): void; terminate(): Promise<number> };
}

type BuiltinModules = { "node:fs": NodeFs; "node:v8": NodeV8; "node:os": NodeOs; "node:worker_threads": NodeWorkerThreads };

/** A Node built-in module, or undefined outside Node (browsers, workers of browsers). */
export function nodeBuiltin<K extends keyof BuiltinModules>(name: K): BuiltinModules[K] | undefined;
export function nodeBuiltin(name: string): unknown;
export function nodeBuiltin(name: string): unknown {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return typeof proc?.getBuiltinModule === "function" ? proc.getBuiltinModule(name) : undefined;
}

/** Whether this is Node (or an engine with Node's built-ins). */
export function isNode(): boolean {
  return nodeBuiltin("node:fs") !== undefined;
}

/** Logical cores: os.availableParallelism() in Node, navigator.hardwareConcurrency in browsers. */
export function availableCores(): number {
  const os = nodeBuiltin("node:os");
  if (os !== undefined) return os.availableParallelism();
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  return Math.max(1, nav?.hardwareConcurrency ?? 1);
}

/**
 * Why this engine cannot run the threaded kernels (shared WebAssembly memory plus workers),
 * or null when it can. Browsers need a cross-origin-isolated page.
 */
export function threadsUnavailable(): string | null {
  const g = globalThis as { crossOriginIsolated?: boolean; Worker?: unknown };
  if (!isNode()) {
    if (g.crossOriginIsolated !== true) {
      return "the page is not cross-origin isolated (serve it with the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp), so SharedArrayBuffer is unavailable";
    }
    if (typeof g.Worker !== "function") return "Web Workers are unavailable in this context";
  }
  if (typeof SharedArrayBuffer !== "function") return "SharedArrayBuffer is unavailable in this engine";
  try {
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  } catch {
    return "shared WebAssembly memory is unavailable in this engine";
  }
  return null;
}

/** Whether this thread may block in Atomics.wait (Node, workers: yes; a browser's main thread: no). */
export function canBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

let relaxedTried = false;

/**
 * Turn on relaxed SIMD where the engine has it behind a flag (Node 20:
 * `--experimental-wasm-relaxed-simd`, set at run time through node:v8; Node 22+ and current
 * browsers have it on by default). Tried once; a no-op outside Node.
 */
export function tryEnableRelaxedFlag(): void {
  if (relaxedTried) return;
  relaxedTried = true;
  try {
    nodeBuiltin("node:v8")?.setFlagsFromString("--experimental-wasm-relaxed-simd");
  } catch {
    // unknown flag on this engine: keep plain SIMD
  }
}
