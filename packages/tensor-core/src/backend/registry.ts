import type { OpName } from "../registry.js";
import type { Backend, Kernel, KernelTable } from "./backend.js";
import { jsBackend } from "./js/index.js";
import { wasmBackend } from "./wasm/index.js";
import { referenceFusedKernels, type FusedKernelName, type FusedKernels } from "../fused/kernels.js";

/**
 * The default backends, in order of preference: until `setBackend` / `setBackendAsync` is
 * called, the first op (or `getBackend()`) selects the first of these that initialises
 * synchronously — 'wasm' where WebAssembly SIMD compiles synchronously (Node, workers,
 * browsers that allow it), else the 'js' reference kernels. Importing the package selects
 * nothing and compiles nothing.
 */
export const DEFAULT_BACKENDS: readonly string[] = ["wasm", "js"];

const backends = new Map<string, Backend>([["js", jsBackend], ["wasm", wasmBackend]]);
let reference: KernelTable | null = jsBackend.kernels as KernelTable;
/** The active kernels, or null until the default is chosen (on first use) or `setBackend` is called. */
let active: KernelTable | null = null;
let activeName = "js";

/** Select the default backend (DEFAULT_BACKENDS) if none has been chosen yet. */
function ensureBackend(): void {
  if (active !== null) return;
  for (const name of DEFAULT_BACKENDS) if (setBackend(name)) return;
}

/** Register a backend under its name; the `js` backend must provide every kernel. */
export function registerBackend(backend: Backend, isReference = false): void {
  backends.set(backend.name, backend);
  if (isReference) {
    reference = backend.kernels as KernelTable;
  }
}

function compose(b: Backend): KernelTable {
  if (reference === null) throw new Error("setBackend: the reference 'js' backend is not registered");
  return { ...reference, ...b.kernels };
}

/**
 * Select the backend for all following ops. Returns false (and keeps the current one)
 * if the backend could not be initialised synchronously; use `setBackendAsync` in
 * browsers where WebAssembly must be compiled asynchronously.
 */
export function setBackend(name: string): boolean {
  const b = backends.get(name);
  if (b === undefined) {
    throw new Error(`setBackend: unknown backend '${name}' (available: ${[...backends.keys()].join(", ")})`);
  }
  if (b.initSync !== undefined && !b.initSync()) return false;
  active = compose(b);
  activeName = name;
  return true;
}

/** Asynchronous variant of `setBackend`, for environments that refuse synchronous compilation. */
export async function setBackendAsync(name: string): Promise<boolean> {
  const b = backends.get(name);
  if (b === undefined) {
    throw new Error(`setBackendAsync: unknown backend '${name}' (available: ${[...backends.keys()].join(", ")})`);
  }
  if (b.init !== undefined && !(await b.init())) return false;
  active = compose(b);
  activeName = name;
  return true;
}

/** The name of the active backend (choosing the default first if none was set). */
export function getBackend(): string {
  ensureBackend();
  return activeName;
}

export function listBackends(): string[] {
  return [...backends.keys()];
}

/** The kernel of `op` in the active backend. */
export function kernelFor<P extends OpName>(op: P): Kernel<P> {
  ensureBackend();
  if (active === null) throw new Error(`${op}: no backend registered`);
  return active[op];
}

/** The reference (js) kernel of `op`, regardless of the active backend: the oracle for tests. */
export function referenceKernel<P extends OpName>(op: P): Kernel<P> {
  if (reference === null) throw new Error(`${op}: the reference backend is not registered`);
  return reference[op];
}

/** The fused kernel `name` of the active backend, or the TypeScript reference when it has none. */
export function fusedKernelFor<N extends FusedKernelName>(name: N): FusedKernels[N] {
  ensureBackend();
  return backends.get(activeName)?.fused?.[name] ?? referenceFusedKernels[name];
}

/**
 * Whether the active backend has its own (native) fused kernel `name`, rather than falling
 * back to the TypeScript reference: callers use it to pick the fused path by default.
 */
export function hasNativeFusedKernel(name: FusedKernelName): boolean {
  ensureBackend();
  return backends.get(activeName)?.fused?.[name] !== undefined;
}

/** The reference (TypeScript) fused kernel `name`, regardless of the active backend: the oracle for tests. */
export function referenceFusedKernel<N extends FusedKernelName>(name: N): FusedKernels[N] {
  return referenceFusedKernels[name];
}
