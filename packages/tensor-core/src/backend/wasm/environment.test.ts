/**
 * Environment detection: Node's built-ins without import statements, and why threads are
 * unavailable on a page that is not cross-origin isolated.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { availableCores, canBlock, isNode, nodeBuiltin, threadsUnavailable } from "./environment.js";
import { replaceRuntime, initRuntimeSync, wasmInfo } from "./state.js";

const browserLike = (isolated: boolean): void => {
  vi.stubGlobal("process", { ...process, getBuiltinModule: undefined });
  vi.stubGlobal("crossOriginIsolated", isolated);
  vi.stubGlobal("navigator", { hardwareConcurrency: 6 });
};

afterEach(() => {
  vi.unstubAllGlobals();
  replaceRuntime(null);
});

describe("wasm environment", () => {
  it("reaches Node's built-ins through process.getBuiltinModule", () => {
    expect(isNode()).toBe(true);
    expect(typeof nodeBuiltin("node:fs")?.readFileSync).toBe("function");
    expect(availableCores()).toBeGreaterThanOrEqual(1);
    expect(threadsUnavailable()).toBeNull();
    expect(canBlock()).toBe(true);
  });

  it("in a page that is not cross-origin isolated, says why threads are unavailable", () => {
    browserLike(false);
    expect(isNode()).toBe(false);
    expect(availableCores()).toBe(6);
    expect(threadsUnavailable()).toMatch(/^the page is not cross-origin isolated \(serve it with the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp\)/);
  });

  it("in a browser, does not start synchronously before the kernels were loaded, and says so", () => {
    browserLike(true);
    replaceRuntime(null);
    expect(initRuntimeSync()).toBe(false);
    expect(wasmInfo()).toMatchObject({ ready: false, variant: null, threads: 1 });
    expect(wasmInfo().note).toMatch(/^not loaded yet: in browsers the kernels load asynchronously, so call `await setBackendAsync\('wasm'\)`/);
  });
});
