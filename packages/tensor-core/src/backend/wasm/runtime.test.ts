import { describe, expect, it } from "vitest";
import { randn } from "../../create.js";
import { matmul } from "../../ops/linalg/index.js";
import { softmax } from "../../ops/reduce/index.js";
import { generator } from "../../random.js";
import { Tensor } from "../../tensor.js";
import { setBackend } from "../registry.js";
import { relaxedSupported, wasmSupported } from "./module.js";
import { getRuntime, replaceRuntime, wasmInfo } from "./state.js";

describe("wasm runtime", () => {
  it("validates SIMD on this engine, and starts by default with relaxed SIMD on one thread (Node turns its flag on)", () => {
    expect(wasmSupported()).toBe(true);
    replaceRuntime(null);
    expect(wasmInfo().ready).toBe(false);
    expect(setBackend("wasm")).toBe(true);
    expect(relaxedSupported()).toBe(true);
    expect(wasmInfo()).toEqual({ ready: true, variant: "kernels-relaxed.wasm", relaxedSimd: true, sharedMemory: false, threads: 1, source: "file", sourceDetail: expect.stringMatching(/^file:.*\/generated\/kernels-relaxed\.wasm$/) as unknown, note: "one thread (the default; setNumThreads(n) for more)" });
  });

  it("reuses its scratch memory: repeated calls keep memory flat", () => {
    expect(setBackend("wasm")).toBe(true);
    const rng = generator(5);
    const big = randn([300, 300], rng);
    matmul(big, big);
    const rt = getRuntime();
    const bytes = rt.memory.buffer.byteLength;
    const small = randn([4, 37, 64], rng);
    for (let step = 0; step < 300; step++) {
      matmul(small, small, { transB: true });
      softmax(small);
    }
    matmul(big, big, { transA: true });
    expect(rt.memory.buffer.byteLength).toBe(bytes);
  });

  it("grows memory for a larger problem and still computes correctly", () => {
    expect(setBackend("wasm")).toBe(true);
    const rt = getRuntime();
    const before = rt.memory.buffer.byteLength;
    const n = Math.ceil(Math.sqrt(before / 4)) + 8; // a and b alone exceed the old memory
    const a = randn([n, n], generator(6));
    const out = matmul(a, new Tensor(new Float32Array(n).fill(1), [n, 1]));
    expect(rt.memory.buffer.byteLength).toBeGreaterThan(before);
    let worst = 0;
    for (let i = 0; i < n; i += 97) {
      let s = 0;
      for (let p = 0; p < n; p++) s += a.data[i * n + p]!;
      worst = Math.max(worst, Math.abs(out.data[i]! - s));
    }
    expect(worst).toBeLessThan(1e-3);
  });
});
