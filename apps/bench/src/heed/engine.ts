/** Heed engines: the js reference backend, the wasm backend single-thread and with N threads. */
import type { Engine } from "../types.js";
import { loadHeedExports, type HeedCtx } from "./api.js";

let loading: Promise<HeedCtx> | null = null;

/** Heed's exports, plus the Node entry of tensor-core when it exists (it may enable threads). */
function loadHeed(): Promise<HeedCtx> {
  loading ??= (async () => {
    const ctx = await loadHeedExports();
    const node = "@heed/tensor-core/node";
    try {
      const mod = (await import(node)) as Record<string, unknown>;
      const exports = ctx.exports as Map<string, unknown>;
      for (const [k, v] of Object.entries(mod)) if (!exports.has(k)) exports.set(k, v);
    } catch {
      // optional entry point: without it, threads are simply unavailable
    }
    return ctx;
  })();
  return loading;
}

type Fn = (...args: unknown[]) => unknown;

function fn(ctx: HeedCtx, name: string): Fn | undefined {
  const f = ctx.exports.get(name);
  return typeof f === "function" ? (f as Fn) : undefined;
}

/**
 * Makes `backend` active with `threads` threads. `setNumThreads` rebuilds the wasm runtime
 * (and its worker pool), so it is called only when the thread count changes.
 */
async function selectBackend(ctx: HeedCtx, backend: "js" | "wasm", threads: number): Promise<void> {
  const setBackendAsync = fn(ctx, "setBackendAsync");
  if (setBackendAsync === undefined) throw new Error("missing: setBackendAsync");
  if (fn(ctx, "getBackend")?.() !== backend) {
    if (!(await setBackendAsync(backend))) throw new Error(`setBackendAsync('${backend}') returned false`);
  }
  const setNumThreads = fn(ctx, "setNumThreads");
  if (backend !== "wasm" || setNumThreads === undefined || fn(ctx, "getNumThreads")?.() === threads) return;
  const got = await setNumThreads(threads); // a promise from the main entry, a number from tensor-core/node
  if (typeof got === "number" && got !== threads) throw new Error(`setNumThreads(${threads}) gave ${got} thread(s)`);
}

/** Relaxed SIMD (fused multiply-add) for every wasm engine alike, when tensor-core/node offers it. */
function relaxedSimd(ctx: HeedCtx): boolean {
  const enable = fn(ctx, "enableRelaxedSimd");
  return enable !== undefined && enable() === true;
}

/** Back to one thread, which ends the worker pool (so the process can exit). */
export function releaseHeedThreads(ctx: HeedCtx): void {
  if (fn(ctx, "getNumThreads")?.() !== 1) fn(ctx, "setNumThreads")?.(1);
}

function heedEngine(backend: "js" | "wasm", threads: number): Engine<"heed"> {
  const engine: Engine<"heed"> = {
    id: backend === "js" ? "heed-js" : threads === 1 ? "heed-wasm" : `heed-wasm-${threads}t`,
    library: "heed",
    label: backend === "js" ? "Heed, js reference backend" : `Heed, wasm backend, ${threads} thread${threads === 1 ? "" : "s"}`,
    threads,
    async load() {
      const ctx = await loadHeed();
      if (ctx.exports.size === 0) throw new Error([...ctx.broken.values()].join("; ") || "no exports");
      const list = fn(ctx, "listBackends");
      if (backend === "wasm" && list !== undefined && !(list() as string[]).includes("wasm")) {
        throw new Error(`no 'wasm' backend registered (backends: ${(list() as string[]).join(", ")})`);
      }
      if (threads > 1 && fn(ctx, "setNumThreads") === undefined) throw new Error("missing: setNumThreads (threads unavailable)");
      if (backend === "wasm" && relaxedSimd(ctx)) engine.label += ", relaxed SIMD";
      // Rebuild the runtime once so every wasm engine runs the same (relaxed or plain) kernels.
      if (backend === "wasm" && threads === 1) fn(ctx, "setNumThreads")?.(1);
      await selectBackend(ctx, backend, threads);
      // which attention MultiHeadAttention takes on this backend (needWeights: false, as the cases call it)
      const path = fn(ctx, "mhaPath")?.({ needWeights: false, extraKeys: 0, dtype: "float32" });
      if (typeof path === "string") engine.label += `, MHA path '${path}'`;
      return ctx;
    },
    activate: (ctx) => selectBackend(ctx, backend, threads),
    release: releaseHeedThreads,
  };
  return engine;
}

/** heed-js, heed-wasm (1 thread) and, when the machine has more cores, heed-wasm with all of them. */
export function heedEngines(cores: number): Engine<"heed">[] {
  const engines = [heedEngine("js", 1), heedEngine("wasm", 1)];
  if (cores > 1) engines.push(heedEngine("wasm", cores));
  return engines;
}
