/**
 * The kernel files: found next to the module that locates them (src/ here, dist/ when
 * published), compiled once per variant, and fetched in engines without Node's fs.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { KERNEL_BYTES } from "./generated/urls.js";
import { loadVariant, loadVariantSync, variantUrl } from "./loader.js";
import { fileOf, variantOf } from "./module.js";

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("kernel loader", () => {
  it("names the four variants and finds each file next to generated/urls.ts", () => {
    expect([variantOf(false, false), variantOf(true, false), variantOf(false, true), variantOf(true, true)]).toEqual(["simd", "relaxed", "simd-mt", "relaxed-mt"]);
    for (const v of ["simd", "relaxed", "simd-mt", "relaxed-mt"] as const) {
      const url = variantUrl(v);
      expect(url.protocol).toBe("file:");
      expect(url.pathname.endsWith(`/generated/${fileOf(v)}`)).toBe(true);
      expect(KERNEL_BYTES[v]).toBeGreaterThan(1000);
    }
  });

  it("compiles a variant once and exports the kernels", async () => {
    const m = loadVariantSync("simd");
    expect(m).not.toBeNull();
    expect(loadVariantSync("simd")).toBe(m);
    expect(await loadVariant("simd")).toBe(m);
    expect(WebAssembly.Module.exports(m!).map((e) => e.name)).toContain("runTasks");
  });

  it("without Node's built-ins (a browser), loads nothing synchronously and fetches the file once", async () => {
    vi.stubGlobal("process", { ...process, getBuiltinModule: undefined });
    expect(loadVariantSync("simd-mt")).toBeNull();
    const { readFileSync } = await import("node:fs");
    const fetchMock = vi.fn((url: URL) => Promise.resolve(new Response(readFileSync(url), { status: 200 })));
    vi.stubGlobal("fetch", fetchMock);
    const m = await loadVariant("simd-mt");
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(String(fetchMock.mock.calls[0]![0])).toMatch(/kernels-simd-mt\.wasm$/);
    expect(await loadVariant("simd-mt")).toBe(m);
    expect(loadVariantSync("simd-mt")).toBe(m);
  });

  it("says which file could not be fetched", async () => {
    vi.stubGlobal("process", { ...process, getBuiltinModule: undefined });
    vi.stubGlobal("fetch", () => Promise.resolve(new Response("no", { status: 404 })));
    await expect(loadVariant("relaxed-mt")).rejects.toThrow(/could not load kernels-relaxed-mt\.wasm from file:.*kernels-relaxed-mt\.wasm \(HTTP 404\); serve the \.wasm files/);
  });
});
