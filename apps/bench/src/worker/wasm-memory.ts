/**
 * The WebAssembly memory an engine holds, whatever the engine: wraps the WebAssembly
 * constructors of this process so every `WebAssembly.Memory` created or exported by an
 * instance is seen (weakly held: a replaced runtime's memory can still be collected). Install
 * it before any engine loads; one engine per process makes the sum that engine's wasm heap.
 */

const memories = new Set<WeakRef<WebAssembly.Memory>>();
const seen = new WeakSet<WebAssembly.Memory>();
let installed = false;

function keep(m: unknown): void {
  if (m instanceof WebAssembly.Memory && !seen.has(m)) {
    seen.add(m);
    memories.add(new WeakRef(m));
  }
}

function keepExports(instance: WebAssembly.Instance): void {
  for (const v of Object.values(instance.exports)) keep(v);
}

/** Bytes of live WebAssembly memories (undefined when there are none). */
export function wasmMemoryBytes(): number | undefined {
  let total = 0;
  let any = false;
  for (const ref of memories) {
    const m = ref.deref();
    if (m === undefined) memories.delete(ref);
    else {
      any = true;
      total += m.buffer.byteLength;
    }
  }
  return any ? total : undefined;
}

/** Installs the wrappers once; returns `wasmMemoryBytes`. */
export function trackWasmMemories(): () => number | undefined {
  if (installed) return wasmMemoryBytes;
  installed = true;
  const wa = WebAssembly as unknown as Record<string, unknown>;
  const construct = <T extends object>(ctor: T, after: (made: unknown) => void): T =>
    new Proxy(ctor, {
      construct(target, args, newTarget) {
        const made = Reflect.construct(target as new (...a: unknown[]) => object, args, newTarget) as object;
        after(made);
        return made;
      },
    });
  wa.Memory = construct(WebAssembly.Memory, keep);
  wa.Instance = construct(WebAssembly.Instance, (i) => keepExports(i as WebAssembly.Instance));
  const watch = (name: "instantiate" | "instantiateStreaming") => {
    const original = WebAssembly[name] as (...args: unknown[]) => Promise<unknown>;
    if (typeof original !== "function") return;
    wa[name] = async (...args: unknown[]) => {
      const r = await original.apply(WebAssembly, args);
      keepExports(r instanceof WebAssembly.Instance ? r : (r as { instance: WebAssembly.Instance }).instance);
      return r;
    };
  };
  watch("instantiate");
  watch("instantiateStreaming");
  return wasmMemoryBytes;
}
