/**
 * Loading a kernel variant: in Node, read synchronously from the file next to the package's
 * JavaScript; elsewhere, fetched once (asynchronously) from the URL bundlers rewrite.
 * Compiled modules are cached, so a later synchronous start reuses an earlier download.
 */
import { nodeBuiltin } from "./environment.js";
import { KERNEL_URLS } from "./generated/urls.js";
import { fileOf, type Variant } from "./module.js";

const compiled = new Map<Variant, WebAssembly.Module>();

/** The URL a variant is loaded from (a file: URL in Node, the bundler's asset URL in browsers). */
export function variantUrl(variant: Variant): URL {
  return KERNEL_URLS[variant]();
}

/** The compiled variant, synchronously: from the cache, or read from disk in Node; null otherwise. */
export function loadVariantSync(variant: Variant): WebAssembly.Module | null {
  const cached = compiled.get(variant);
  if (cached !== undefined) return cached;
  const fs = nodeBuiltin("node:fs");
  if (fs === undefined) return null;
  const bytes = new Uint8Array(fs.readFileSync(variantUrl(variant)));
  const module = new WebAssembly.Module(bytes);
  compiled.set(variant, module);
  return module;
}

/** The compiled variant: read from disk in Node, fetched and compiled asynchronously elsewhere. */
export async function loadVariant(variant: Variant): Promise<WebAssembly.Module> {
  const ready = loadVariantSync(variant);
  if (ready !== null) return ready;
  const url = variantUrl(variant);
  let bytes: ArrayBuffer;
  try {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    bytes = await res.arrayBuffer();
  } catch (e) {
    throw new Error(`wasm backend: could not load ${fileOf(variant)} from ${url.href} (${(e as Error).message}); serve the .wasm files of @heed/tensor-core's dist/ next to the bundle that imports it`, { cause: e });
  }
  const module = await WebAssembly.compile(bytes);
  compiled.set(variant, module);
  return module;
}
