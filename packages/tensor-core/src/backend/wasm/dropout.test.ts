import { afterAll, describe, expect, it } from "vitest";
import { fusedKernelFor, getBackend, referenceFusedKernel, setBackend } from "../registry.js";

const initial = getBackend();
afterAll(() => void setBackend(initial));

describe("wasm dropout kernel", () => {
  it.each([[1], [3], [4], [5], [17], [129], [4096]])("equals the reference bit for bit at n = %d", (n) => {
    expect(setBackend("wasm")).toBe(true);
    const x = Float32Array.from({ length: n }, (_, i) => [NaN, -0, Infinity, -1.5][i % 9] ?? Math.sin(i) * 3);
    for (const p of [0, 0.1, 0.5, 0.999, 1]) {
      for (const seed of [0, 1, 0xdeadbeef, -7]) {
        const want = referenceFusedKernel("dropout")({ x, p, seed });
        const got = fusedKernelFor("dropout")({ x, p, seed });
        expect(got).toBeInstanceOf(Float32Array);
        for (let i = 0; i < n; i++) if (!Object.is(got[i], want[i])) expect.fail(`p ${p} seed ${seed} index ${i}: got ${got[i]}, expected ${want[i]}`);
      }
    }
  });

  it("float64 data takes the reference", () => {
    setBackend("wasm");
    const x = Float64Array.from({ length: 9 }, (_, i) => i - 4);
    expect([...fusedKernelFor("dropout")({ x, p: 0.4, seed: 9 })]).toEqual([...referenceFusedKernel("dropout")({ x, p: 0.4, seed: 9 })]);
  });
});
