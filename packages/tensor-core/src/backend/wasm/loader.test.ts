/**
 * The kernel files: found next to the module that locates them (src/ here, dist/ when
 * published), compiled once per variant, fetched in engines without Node's fs, and replaced
 * by the embedded plain-SIMD copy where a file cannot be loaded (esbuild bundles).
 */
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { KERNEL_BYTES, KERNEL_URLS } from "./generated/urls.js";
import { embeddedBytes, loadVariant, loadVariantSync, variantUrl } from "./loader.js";
import { fileOf, variantOf, type Variant } from "./module.js";

type Loader = typeof import("./loader.js");
const VARIANTS = ["simd", "relaxed", "simd-mt", "relaxed-mt"] as const;

afterEach(() => {
  vi.unstubAllGlobals();
  vi.doUnmock("./generated/urls.js");
  vi.resetModules();
});

/** A fresh loader (empty cache) whose kernel URLs are `url(variant)`. */
async function loaderWithUrls(url: (v: Variant) => URL): Promise<Loader> {
  vi.resetModules();
  vi.doMock("./generated/urls.js", () => ({ KERNEL_BYTES, KERNEL_URLS: Object.fromEntries(VARIANTS.map((v) => [v, () => url(v)])) }));
  return import("./loader.js");
}

/** Behave like a browser: no Node built-ins. */
function noNode(): void {
  vi.stubGlobal("process", { ...process, getBuiltinModule: undefined });
}

describe("kernel loader", () => {
  it("names the four variants and finds each file next to generated/urls.ts", () => {
    expect([variantOf(false, false), variantOf(true, false), variantOf(false, true), variantOf(true, true)]).toEqual(["simd", "relaxed", "simd-mt", "relaxed-mt"]);
    for (const v of VARIANTS) {
      const url = variantUrl(v);
      expect(url.protocol).toBe("file:");
      expect(url.pathname.endsWith(`/generated/${fileOf(v)}`)).toBe(true);
      expect(KERNEL_BYTES[v]).toBeGreaterThan(1000);
    }
  });

  it("compiles a variant once, from its file, and exports the kernels", async () => {
    const m = loadVariantSync("simd");
    expect(m).toMatchObject({ variant: "simd", relaxed: false, source: "file", from: KERNEL_URLS.simd().href });
    expect(loadVariantSync("simd")).toBe(m);
    expect(await loadVariant("simd")).toBe(m);
    expect(WebAssembly.Module.exports(m!.module).map((e) => e.name)).toContain("runTasks");
  });

  it("embeds exactly the bytes of kernels-simd.wasm and kernels-simd-mt.wasm (gzip, base64)", async () => {
    for (const [shared, v] of [[false, "simd"], [true, "simd-mt"]] as const) {
      const bytes = new Uint8Array(await embeddedBytes(shared));
      expect(bytes).toEqual(new Uint8Array(readFileSync(KERNEL_URLS[v]())));
    }
  });

  it("without Node's built-ins (a browser), loads nothing synchronously and fetches the file once", async () => {
    const loader = await loaderWithUrls((v) => KERNEL_URLS[v]());
    noNode();
    expect(loader.loadVariantSync("simd-mt")).toBeNull();
    const fetchMock = vi.fn((url: URL) => Promise.resolve(new Response(readFileSync(url), { status: 200 })));
    vi.stubGlobal("fetch", fetchMock);
    const m = await loader.loadVariant("simd-mt");
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(m).toMatchObject({ variant: "simd-mt", source: "url", from: expect.stringMatching(/kernels-simd-mt\.wasm$/) as unknown });
    expect(await loader.loadVariant("simd-mt")).toBe(m);
    expect(loader.loadVariantSync("simd-mt")).toBe(m);
  });

  it("where the file is not served (an esbuild bundle), uses the embedded plain-SIMD copy with the same memory, fetching once", async () => {
    const loader = await loaderWithUrls((v) => new URL(`http://127.0.0.1:9/app/${fileOf(v)}`));
    noNode();
    const fetchMock = vi.fn(() => Promise.resolve(new Response("<!doctype html>", { status: 404 })));
    vi.stubGlobal("fetch", fetchMock);
    const one = await loader.loadVariant("relaxed");
    expect(one).toMatchObject({ variant: "simd", relaxed: false, source: "embedded", from: "kernels-relaxed.wasm could not be loaded from http://127.0.0.1:9/app/kernels-relaxed.wasm (HTTP 404)" });
    expect(WebAssembly.Module.imports(one.module)).toContainEqual({ module: "env", name: "memory", kind: "memory" });
    const shared = await loader.loadVariant("relaxed-mt");
    expect(shared).toMatchObject({ variant: "simd-mt", source: "embedded" });
    expect(fetchMock).toHaveBeenCalledTimes(1); // the first failure sends later loads straight to the embedded copy
    expect(loader.loadVariantSync("relaxed")).toBe(one);
    expect(loader.loadVariantSync("simd-mt")).toBe(shared);
    expect(loader.kernelFilesMissing()).toMatch(/^kernels-relaxed\.wasm could not be loaded/);
  });

  it("when a file is missing but its plain-SIMD stand-in was fetched before, uses that (same bytes) and says so", async () => {
    const loader = await loaderWithUrls((v) => KERNEL_URLS[v]());
    noNode();
    vi.stubGlobal("fetch", (url: URL) => Promise.resolve(url.pathname.endsWith("/kernels-simd.wasm") ? new Response(readFileSync(url)) : new Response("", { status: 404 })));
    const simd = await loader.loadVariant("simd");
    expect(simd.source).toBe("url");
    expect(await loader.loadVariant("relaxed")).toBe(simd);
    expect(loader.loadVariantSync("relaxed")).toBe(simd);
    expect(loader.kernelFilesMissing()).toMatch(/^kernels-relaxed\.wasm could not be loaded from file:.* \(.*\)$/);
  });

  it("uses the embedded copy when the URL answers with something that is not WebAssembly (a single-page app's index.html)", async () => {
    const loader = await loaderWithUrls((v) => new URL(`http://127.0.0.1:9/${fileOf(v)}`));
    noNode();
    vi.stubGlobal("fetch", () => Promise.resolve(new Response("<!doctype html><p>app</p>", { status: 200 })));
    const m = await loader.loadVariant("simd");
    expect(m.source).toBe("embedded");
    expect(m.from).toMatch(/^kernels-simd\.wasm could not be loaded from http:\/\/127\.0\.0\.1:9\/kernels-simd\.wasm \(.*(magic|expected).*\)$/i);
  });

  it("in Node, without the file next to the bundle: nothing synchronously (says why), the embedded copy asynchronously", async () => {
    const loader = await loaderWithUrls((v) => new URL(`file:///nonexistent-heed/${fileOf(v)}`));
    expect(loader.loadVariantSync("relaxed")).toBeNull();
    expect(loader.kernelFilesMissing()).toBe("kernels-relaxed.wasm is not at file:///nonexistent-heed/kernels-relaxed.wasm");
    const fetchMock = vi.fn();
    vi.stubGlobal("fetch", fetchMock);
    expect(await loader.loadVariant("relaxed")).toMatchObject({ variant: "simd", source: "embedded", from: "kernels-relaxed.wasm is not at file:///nonexistent-heed/kernels-relaxed.wasm" });
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it("with an empty import.meta.url (an IIFE bundle), uses the embedded copy", async () => {
    const loader = await loaderWithUrls((v) => new URL(`./${fileOf(v)}`, undefined));
    noNode();
    const m = await loader.loadVariant("simd-mt");
    expect(m).toMatchObject({ variant: "simd-mt", source: "embedded" });
    expect(m.from).toMatch(/^no URL for kernels-simd-mt\.wasm: .* \(import\.meta\.url is empty in this bundle\)$/);
  });

  it("wasmInfo() says the kernels are not loaded and why, then that they came from the embedded copy", async () => {
    await loaderWithUrls((v) => new URL(`file:///nonexistent-heed/${fileOf(v)}`));
    const state = await import("./state.js");
    expect(state.initRuntimeSync()).toBe(false);
    expect(state.wasmInfo()).toMatchObject({ ready: false, source: null, sourceDetail: null });
    expect(state.wasmInfo().note).toBe("not loaded yet: kernels-relaxed.wasm is not at file:///nonexistent-heed/kernels-relaxed.wasm, so the embedded copy loads asynchronously: call `await setBackendAsync('wasm')` (or `await setNumThreads(n)`) before the first op; until then ops run on the 'js' backend");
    expect(await state.initRuntime()).toBe(true);
    expect(state.wasmInfo()).toMatchObject({ ready: true, variant: "kernels-simd.wasm", relaxedSimd: false, source: "embedded", sourceDetail: "kernels-relaxed.wasm is not at file:///nonexistent-heed/kernels-relaxed.wasm" });
    state.replaceRuntime(null);
  });
});
