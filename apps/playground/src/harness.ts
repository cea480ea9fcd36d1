import { scaledDotProductAttention } from "@heed/attention";
import { Generator, matmul, randn, setNumThreads, wasmInfo } from "@heed/tensor-core";

/**
 * What the browser tests call in the page (`window.heedHarness`): the same seeded computations the
 * Node side repeats, returned as plain arrays for comparison.
 */
export const harness = {
  info: () => ({ crossOriginIsolated: globalThis.crossOriginIsolated === true, wasm: wasmInfo() }),
  setNumThreads: (n: number): Promise<number> => setNumThreads(n),
  matmul(n: number, seed: number): number[] {
    const rng = new Generator(seed);
    const a = randn([n, n], rng);
    const b = randn([n, n], rng);
    return Array.from(matmul(a, b).data as Float32Array);
  },
  attention(shape: [number, number, number, number], seed: number, isCausal: boolean): number[] {
    const rng = new Generator(seed);
    const q = randn(shape, rng);
    const k = randn(shape, rng);
    const v = randn(shape, rng);
    return Array.from(scaledDotProductAttention(q, k, v, { isCausal }).data as Float32Array);
  },
};
