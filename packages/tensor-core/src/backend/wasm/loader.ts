/**
 * Loading a kernel variant: in Node, read synchronously from the file next to the package's
 * JavaScript; elsewhere, fetched once (asynchronously) from the URL bundlers rewrite. Where the
 * file cannot be loaded (esbuild leaves `new URL("./kernels-….wasm", import.meta.url)` as it is,
 * so the file is not next to the bundle), the plain-SIMD variant embedded in the JavaScript is
 * used: reached through a dynamic import, so bundlers that split code (Vite, Rollup, webpack)
 * put it in a chunk that is never fetched when the file loads, while esbuild inlines it.
 * Compiled modules are cached, so a later synchronous start reuses an earlier download.
 */
import { nodeBuiltin } from "./environment.js";
import { KERNEL_URLS } from "./generated/urls.js";
import { fileOf, type Variant } from "./module.js";

/** Where a compiled variant came from: a file read from disk (Node), a fetched URL, or the embedded copy. */
export type KernelSource = "file" | "url" | "embedded";

/** A compiled variant: the one asked for, or the embedded plain-SIMD one standing in for it. */
export interface LoadedVariant {
  module: WebAssembly.Module;
  variant: Variant;
  relaxed: boolean;
  source: KernelSource;
  /** The file or URL it was read from; for the embedded copy, why the file was not used. */
  from: string;
}

const loaded = new Map<Variant, LoadedVariant>();
/** Why the kernel files cannot be loaded here (the first failure), so later loads go straight to the embedded copy. */
let filesMissing: string | null = null;

/** The URL a variant is loaded from (a file: URL in Node, the bundler's asset URL in browsers). */
export function variantUrl(variant: Variant): URL {
  return KERNEL_URLS[variant]();
}

/** The variant's URL, or why there is none (`import.meta.url` is empty in an IIFE or CommonJS bundle). */
function urlOf(variant: Variant): URL | string {
  try {
    return variantUrl(variant);
  } catch (e) {
    return `no URL for ${fileOf(variant)}: ${(e as Error).message} (import.meta.url is empty in this bundle)`;
  }
}

/** The embedded variant that stands in for `variant`: plain SIMD with the same (private or shared) memory. */
function standIn(variant: Variant): Variant {
  return variant.endsWith("-mt") ? "simd-mt" : "simd";
}

function remember(variant: Variant, module: WebAssembly.Module, source: KernelSource, from: string): LoadedVariant {
  const entry = { module, variant, relaxed: variant.startsWith("relaxed"), source, from };
  loaded.set(variant, entry);
  return entry;
}

/** The compiled variant, synchronously: from the cache, or read from disk in Node; null otherwise. */
export function loadVariantSync(variant: Variant): LoadedVariant | null {
  const cached = loaded.get(variant);
  if (cached !== undefined) return cached;
  if (filesMissing !== null) return loaded.get(standIn(variant)) ?? null;
  const fs = nodeBuiltin("node:fs");
  if (fs === undefined) return null;
  const url = urlOf(variant);
  if (typeof url === "string") {
    filesMissing = url;
    return null;
  }
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = new Uint8Array(fs.readFileSync(url));
  } catch (e) {
    if ((e as { code?: string }).code !== "ENOENT") throw e;
    filesMissing = `${fileOf(variant)} is not at ${url.href}`;
    return null;
  }
  return remember(variant, new WebAssembly.Module(bytes), "file", url.href);
}

/** How the compiled variant in use was loaded, if it was. */
export function loadedVariant(variant: Variant): LoadedVariant | undefined {
  return loaded.get(variant);
}

/** Why the kernel files could not be loaded here, or null (none failed yet). */
export function kernelFilesMissing(): string | null {
  return filesMissing;
}

/** Fetch and compile the variant's file; a string says why that failed. */
async function fetchVariant(variant: Variant): Promise<LoadedVariant | string> {
  const url = urlOf(variant);
  if (typeof url === "string") return url;
  try {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return remember(variant, await WebAssembly.compile(await res.arrayBuffer()), "url", url.href);
  } catch (e) {
    return `${fileOf(variant)} could not be loaded from ${url.href} (${(e as Error).message})`;
  }
}

/** The embedded copy of the plain-SIMD variant with private or shared memory (gzip, base64), decompressed. */
export async function embeddedBytes(shared: boolean): Promise<ArrayBuffer> {
  const { KERNEL_GZIP_BASE64 } = shared ? await import("./generated/embedded-simd-mt.js") : await import("./generated/embedded-simd.js");
  const gzip = Uint8Array.from(atob(KERNEL_GZIP_BASE64), (c) => c.charCodeAt(0));
  return new Response(new Blob([gzip]).stream().pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
}

/**
 * The compiled variant: read from disk in Node, fetched and compiled asynchronously elsewhere,
 * or — where its file cannot be loaded — the embedded plain-SIMD variant with the same memory.
 */
export async function loadVariant(variant: Variant): Promise<LoadedVariant> {
  const ready = loadVariantSync(variant);
  if (ready !== null) return ready;
  if (filesMissing === null && nodeBuiltin("node:fs") === undefined) {
    const fetched = await fetchVariant(variant);
    if (typeof fetched !== "string") return fetched;
    filesMissing = fetched;
  }
  const stand = standIn(variant);
  const standing = loaded.get(stand); // the embedded copy, or the same variant loaded from its file before
  if (standing !== undefined) {
    loaded.set(variant, standing);
    return standing;
  }
  const why = filesMissing ?? `${fileOf(variant)} could not be loaded`;
  try {
    const module = await WebAssembly.compile(await embeddedBytes(stand === "simd-mt"));
    const entry = remember(stand, module, "embedded", why);
    loaded.set(variant, entry);
    return entry;
  } catch (e) {
    throw new Error(`wasm backend: ${why}, and the embedded copy of ${fileOf(stand)} failed to load (${(e as Error).message})`, { cause: e });
  }
}
