/**
 * The wasm backend on 2 threads (worker_threads + shared memory) gives the reference
 * results for matmul (split by batch and by rows), softmax and fused attention, and
 * returns to one thread.
 */
import { afterAll, describe, expect, it, vi } from "vitest";
import { randn } from "../create.js";
import { referenceFusedKernel, referenceKernel, setBackend, getBackend, fusedKernelFor } from "../backend/registry.js";
import { wasmInfo } from "../backend/wasm/state.js";
import { matmul } from "../ops/linalg/index.js";
import { logSoftmax, softmax } from "../ops/reduce/index.js";
import { generator } from "../random.js";
import { SharedPool as WorkerPool } from "../backend/wasm/pool.js";
import { getNumThreads, setNumThreads } from "./threads.js";

const initial = getBackend();
afterAll(() => {
  setNumThreads(1);
  setBackend(initial);
});

/** max |a − b| / (1 + |b|). */
function maxRelErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / (1 + Math.abs(b[i]!)));
  return worst;
}

describe("setNumThreads", () => {
  const rng = generator(3);

  it("runs matmul, softmax and attention on 2 threads with reference results", () => {
    expect(setBackend("wasm")).toBe(true);
    expect(setNumThreads(2)).toBe(2);
    expect(getNumThreads()).toBe(2);
    expect(wasmInfo().sharedMemory).toBe(true);
    const cases: [number[], number[], boolean, boolean][] = [
      [[257, 129], [129, 131], false, false], // one product, split by rows
      [[3, 129, 200], [3, 97, 200], false, true], // batched, transB
      [[6, 129, 130], [129, 67], true, false], // transA with a broadcast b
    ];
    const run = vi.spyOn(WorkerPool.prototype, "run");
    for (const [sa, sb, transA, transB] of cases) {
      const [a, b] = [randn(sa, rng), randn(sb, rng)];
      run.mockClear();
      const got = matmul(a, b, { transA, transB });
      expect(run).toHaveBeenCalled();
      const want = referenceKernel("matmul")([a, b], { transA, transB });
      expect(got.shape).toEqual(want.shape);
      expect(maxRelErr(got.data, want.data)).toBeLessThan(1e-4);
    }
    const x = randn([1 << 14, 256], rng); // 2^22 elements: the threshold for threads
    run.mockClear();
    expect(maxRelErr(softmax(x).data, referenceKernel("softmax")([x], { axis: 1 }).data)).toBeLessThan(1e-4);
    expect(run).toHaveBeenCalled();
    expect(maxRelErr(logSoftmax(x).data, referenceKernel("logSoftmax")([x], { axis: 1 }).data)).toBeLessThan(1e-4);
    const [batch, L, S, E] = [4, 150, 90, 16];
    const p = {
      batch, L, S, E, Ev: E, q: randn([batch * L * E], rng).data as Float32Array, k: randn([batch * S * E], rng).data as Float32Array,
      v: randn([batch * S * E], rng).data as Float32Array, qOffsets: Int32Array.from([0, 1, 2, 3], (b) => b * L * E),
      kOffsets: Int32Array.from([0, 1, 2, 3], (b) => b * S * E), vOffsets: Int32Array.from([0, 1, 2, 3], (b) => b * S * E),
      mask: null, scale: 0.25, causal: true, dropout: null,
    };
    run.mockClear();
    const fwd = fusedKernelFor("attentionForward")(p);
    expect(run).toHaveBeenCalled();
    const ref = referenceFusedKernel("attentionForward")(p);
    expect(maxRelErr(fwd.out, ref.out)).toBeLessThan(1e-4);
    const args = { ...p, out: ref.out, logsumexp: ref.logsumexp, gradOut: p.q.slice(0, batch * L * E), wantMaskGrad: false };
    run.mockClear();
    const bwd = fusedKernelFor("attentionBackward")(args);
    expect(run).toHaveBeenCalled();
    run.mockRestore();
    const want = referenceFusedKernel("attentionBackward")(args);
    expect(maxRelErr(bwd.dk, want.dk)).toBeLessThan(1e-4);
    expect(maxRelErr(bwd.dq, want.dq)).toBeLessThan(1e-4);
  });

  it("runs many tiny attention problems (one task per problem, odd widths, key padding, dropout) on 2 threads", () => {
    expect(setBackend("wasm")).toBe(true);
    expect(setNumThreads(2)).toBe(2);
    const [heads, words, L, S, E, Ev] = [4, 6, 11, 13, 20, 12];
    const batch = heads * words;
    const offsets = (n: number): Int32Array => Int32Array.from({ length: batch }, (_, b) => b * n);
    const p = {
      batch, L, S, E, Ev, q: randn([batch * L * E], rng).data as Float32Array, k: randn([batch * S * E], rng).data as Float32Array,
      v: randn([batch * S * Ev], rng).data as Float32Array, qOffsets: offsets(L * E), kOffsets: offsets(S * E), vOffsets: offsets(S * Ev),
      mask: {
        kind: "bool" as const, data: Uint8Array.from({ length: words * S }, (_, x) => (x % S <= 2 * Math.floor(x / S) ? 1 : 0)),
        offsets: Int32Array.from({ length: batch }, (_, b) => Math.floor(b / heads) * S), strideL: 0, strideS: 1,
      },
      scale: 0.3, causal: false, dropout: { p: 0.1, seed: 99 },
    };
    const run = vi.spyOn(WorkerPool.prototype, "run");
    const fwd = fusedKernelFor("attentionForward")(p);
    expect(run).toHaveBeenCalled();
    const ref = referenceFusedKernel("attentionForward")(p);
    expect(maxRelErr(fwd.out, ref.out)).toBeLessThan(1e-4);
    expect(maxRelErr(fwd.logsumexp, ref.logsumexp)).toBeLessThan(1e-4);
    const args = { ...p, out: ref.out, logsumexp: ref.logsumexp, gradOut: randn([batch * L * Ev], rng).data as Float32Array, wantMaskGrad: false };
    run.mockClear();
    const bwd = fusedKernelFor("attentionBackward")(args);
    expect(run).toHaveBeenCalled();
    run.mockRestore();
    const want = referenceFusedKernel("attentionBackward")(args);
    for (const g of ["dq", "dk", "dv"] as const) expect(maxRelErr(bwd[g], want[g])).toBeLessThan(1e-4);
  });

  it("splits the attention backward of few problems by query rows on 2 threads", () => {
    expect(setBackend("wasm")).toBe(true);
    expect(setNumThreads(2)).toBe(2);
    for (const [batch, L, S, E, Ev, causal] of [[1, 150, 97, 20, 12, true], [3, 131, 40, 16, 8, false], [1, 200, 33, 8, 5, false]] as const) {
      const offsets = (n: number): Int32Array => Int32Array.from({ length: batch }, (_, b) => b * n);
      const p = {
        batch, L, S, E, Ev, q: randn([batch * L * E], rng).data as Float32Array, k: randn([batch * S * E], rng).data as Float32Array,
        v: randn([batch * S * Ev], rng).data as Float32Array, qOffsets: offsets(L * E), kOffsets: offsets(S * E), vOffsets: offsets(S * Ev),
        mask: null, scale: 0.2, causal, dropout: { p: 0.1, seed: 7 },
      };
      const ref = referenceFusedKernel("attentionForward")(p);
      const args = { ...p, out: ref.out, logsumexp: ref.logsumexp, gradOut: randn([batch * L * Ev], rng).data as Float32Array, wantMaskGrad: false };
      const run = vi.spyOn(WorkerPool.prototype, "run");
      const bwd = fusedKernelFor("attentionBackward")(args);
      expect(run).toHaveBeenCalled();
      run.mockRestore();
      const want = referenceFusedKernel("attentionBackward")(args);
      for (const g of ["dq", "dk", "dv"] as const) expect(maxRelErr(bwd[g], want[g]), `${g} ${batch}×(${L}, ${S})`).toBeLessThan(1e-4);
    }
  });

  it("returns to one thread and rejects invalid counts", () => {
    expect(setNumThreads(1)).toBe(1);
    expect(wasmInfo().sharedMemory).toBe(false);
    const a = randn([40, 50], rng);
    expect(maxRelErr(matmul(a, a, { transB: true }).data, referenceKernel("matmul")([a, a], { transA: false, transB: true }).data)).toBeLessThan(1e-4);
    expect(() => setNumThreads(0)).toThrow("setNumThreads: expected a positive integer, got 0");
    expect(() => setNumThreads("2" as unknown as number)).toThrow("setNumThreads: expected a positive integer, got string '2'"); // was "got 2"
    // Refused before any worker starts (1000 used to start workers for 10 s, then fail).
    expect(() => setNumThreads(1000)).toThrow(/^setNumThreads: expected at most 256 threads \(this machine has \d+ cores\), got 1000$/);
  });
});
