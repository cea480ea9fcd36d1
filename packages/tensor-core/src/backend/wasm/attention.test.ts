/**
 * The wasm fused attention kernels against the TypeScript reference (fused/), float32,
 * at odd sizes, with bool/float masks (broadcast through zero strides), causal, dropout,
 * shared K blocks and fully masked rows; and with strided rows (the heads of [B, L, H·E]
 * projections read and written in place, as multi-head attention lays them out), on 1 and 2 threads.
 */
import { afterAll, describe, expect, it, vi } from "vitest";
import type { AttentionLayout, AttentionMaskArg, AttentionProblem } from "../../fused/attention-kernel.js";
import { deinterleave, interleave, interleaveHeads } from "../../../test/utils/head-layout.js";
import { SharedPool as WorkerPool } from "./pool.js";
import { getNumThreads, setNumThreads } from "../../node/threads.js";
import { fusedKernelFor, getBackend, referenceFusedKernel, setBackend } from "../registry.js";
import { wasmFusedKernels } from "./attention.js";
import { lcgValues } from "../../../test/utils/values.js";

const initial = getBackend();
afterAll(() => {
  setNumThreads(1);
  setBackend(initial);
});

const values = (n: number, seed: number): Float32Array => Float32Array.from(lcgValues(n, seed));

interface Opts {
  batch: number; L: number; S: number; E: number; Ev: number;
  /** "pad": a key-padding bool mask per group of `heads` problems, broadcast over rows (strideL 0); "boolRow": one bool per (problem, row), broadcast over keys (strideS 0). */
  mask?: "bool" | "float" | "floatFull" | "pad" | "boolRow" | null;
  heads?: number; causal?: boolean; shareK?: boolean; dropout?: number;
}

function problem(o: Opts): AttentionProblem<Float32Array> {
  const { batch, L, S, E, Ev } = o;
  let mask: AttentionMaskArg<Float32Array> | null = null;
  if (o.mask === "bool") {
    // [L, S] key-padding-like mask shared by every problem; row 1 fully masked
    const data = Uint8Array.from({ length: L * S }, (_, x) => (Math.floor(x / S) === 1 || x % 3 === 2 ? 0 : 1));
    mask = { kind: "bool", data, offsets: new Int32Array(batch), strideL: S, strideS: 1 };
  } else if (o.mask === "pad") {
    // [words, 1, 1, S] key padding as in a transformer batch: word w keeps its first 1 + (3w mod S) keys
    const heads = o.heads ?? 1;
    const words = Math.ceil(batch / heads);
    const data = Uint8Array.from({ length: words * S }, (_, x) => (x % S <= (3 * Math.floor(x / S)) % S ? 1 : 0));
    mask = { kind: "bool", data, offsets: Int32Array.from({ length: batch }, (_, b) => Math.floor(b / heads) * S), strideL: 0, strideS: 1 };
  } else if (o.mask === "boolRow") {
    // every third row of each problem fully masked
    const data = Uint8Array.from({ length: batch * L }, (_, x) => (x % 3 === 1 ? 0 : 1));
    mask = { kind: "bool", data, offsets: Int32Array.from({ length: batch }, (_, b) => b * L), strideL: 1, strideS: 0 };
  } else if (o.mask === "floatFull") {
    // one [L, S] bias shared by every problem, some entries −∞
    const data = values(L * S, 11).map((x, i) => (i % 7 === 3 ? -Infinity : 2 * x));
    mask = { kind: "float", data, offsets: new Int32Array(batch), strideL: S, strideS: 1 };
  } else if (o.mask === "float") {
    // one bias per (problem, key), broadcast over the rows (strideL = 0)
    mask = { kind: "float", data: values(batch * S, 9), offsets: Int32Array.from({ length: batch }, (_, b) => b * S), strideL: 0, strideS: 1 };
  }
  return {
    batch, L, S, E, Ev,
    q: values(batch * L * E, 1), k: values((o.shareK ? 1 : batch) * S * E, 2), v: values(batch * S * Ev, 3),
    qOffsets: Int32Array.from({ length: batch }, (_, b) => b * L * E),
    kOffsets: Int32Array.from({ length: batch }, (_, b) => (o.shareK ? 0 : b * S * E)),
    vOffsets: Int32Array.from({ length: batch }, (_, b) => b * S * Ev),
    mask, scale: 1 / Math.sqrt(E), causal: o.causal ?? false,
    dropout: o.dropout ? { p: o.dropout, seed: 77 } : null,
  };
}

interface StridedOpts extends Opts {
  /** batch = B·heads problems, interleaved as [B, L, heads·E] (q), [B, S, heads·E] (k), [B, S, heads·Ev] (v). */
  heads: number;
}

/**
 * The problem of `o` with its heads interleaved (interleaveHeads), run on the wasm kernels and
 * compared with the reference on the row-major problem (permuted back: every output is checked
 * at the positions the layout gives it), and with the reference on the strided problem itself.
 */
function compareStrided(o: StridedOpts): void {
  const base = problem(o);
  const { batch, L, S, E, Ev, heads: H } = o;
  const B = batch / H;
  const p = interleaveHeads(base, B, H);
  const tag = `strided ${JSON.stringify(o)}`;
  const fwd = wasmFusedKernels.attentionForward(p);
  const ref = referenceFusedKernel("attentionForward")(base);
  expect(fwd.out.length).toBe(p.layout!.outLength);
  expect(deinterleave(fwd.out, B, H, L, Ev), `out ${tag}`).toBeAllclose(ref.out, { atol: 2e-5 });
  expect(fwd.logsumexp, `logsumexp ${tag}`).toBeAllclose(ref.logsumexp, { atol: 2e-5 });
  const gradOut = values(ref.out.length, 5);
  const want = referenceFusedKernel("attentionBackward")({ ...base, ...ref, gradOut, wantMaskGrad: true });
  const args = { ...p, out: interleave(ref.out, B, H, L, Ev), logsumexp: ref.logsumexp, gradOut: interleave(gradOut, B, H, L, Ev), wantMaskGrad: true };
  const bwd = wasmFusedKernels.attentionBackward(args);
  expect(deinterleave(bwd.dq, B, H, L, E), `dq ${tag}`).toBeAllclose(want.dq, { atol: 2e-5 });
  expect(deinterleave(bwd.dk, B, H, S, E), `dk ${tag}`).toBeAllclose(want.dk, { atol: 2e-5 });
  expect(deinterleave(bwd.dv, B, H, S, Ev), `dv ${tag}`).toBeAllclose(want.dv, { atol: 2e-5 });
  if (want.dmask === null) expect(bwd.dmask).toBeNull();
  else expect(bwd.dmask!, `dmask ${tag}`).toBeAllclose(want.dmask, { atol: 2e-5 });
  const strided = referenceFusedKernel("attentionBackward")(args);
  expect(bwd.dq, `dq (strided reference) ${tag}`).toBeAllclose(strided.dq, { atol: 2e-5 });
}

function compare(o: Opts): void {
  const p = problem(o);
  const fwd = wasmFusedKernels.attentionForward(p);
  const ref = referenceFusedKernel("attentionForward")(p);
  const tag = JSON.stringify(o);
  expect(fwd.out).toBeInstanceOf(Float32Array);
  expect(fwd.out, `out ${tag}`).toBeAllclose(ref.out, { atol: 2e-5 });
  expect(fwd.logsumexp, `logsumexp ${tag}`).toBeAllclose(ref.logsumexp, { atol: 2e-5 });
  const gradOut = values(ref.out.length, 5);
  const args = { ...p, out: ref.out, logsumexp: ref.logsumexp, gradOut, wantMaskGrad: true };
  const bwd = wasmFusedKernels.attentionBackward(args);
  const want = referenceFusedKernel("attentionBackward")(args);
  expect(bwd.dq, `dq ${tag}`).toBeAllclose(want.dq, { atol: 2e-5 });
  expect(bwd.dk, `dk ${tag}`).toBeAllclose(want.dk, { atol: 2e-5 });
  expect(bwd.dv, `dv ${tag}`).toBeAllclose(want.dv, { atol: 2e-5 });
  if (want.dmask === null) expect(bwd.dmask).toBeNull();
  else expect(bwd.dmask!, `dmask ${tag}`).toBeAllclose(want.dmask, { atol: 2e-5 });
}

describe("wasm fused attention", () => {
  it("is the active fused kernel under setBackend('wasm')", () => {
    expect(setBackend("wasm")).toBe(true);
    expect(fusedKernelFor("attentionForward")).toBe(wasmFusedKernels.attentionForward);
  });

  it("matches the reference at odd sizes (1, 3, 17, 129)", () => {
    for (const [L, S] of [[1, 1], [3, 17], [17, 3], [129, 65], [70, 129]] as const) {
      compare({ batch: 2, L, S, E: 17, Ev: 9 });
      compare({ batch: 3, L, S, E: 8, Ev: 16, causal: true });
    }
  });

  it("matches with bool masks (incl. a fully masked row), float masks, shared K and dropout", () => {
    compare({ batch: 3, L: 17, S: 33, E: 16, Ev: 8, mask: "bool" });
    compare({ batch: 3, L: 17, S: 33, E: 16, Ev: 8, mask: "float", causal: true });
    compare({ batch: 4, L: 20, S: 20, E: 12, Ev: 12, shareK: true });
    compare({ batch: 2, L: 19, S: 23, E: 8, Ev: 5, dropout: 0.3 });
  });

  it("matches on many tiny problems (a small transformer's batch): key padding, causal, dropout", () => {
    for (const [L, S, E] of [[13, 13, 32], [5, 7, 32], [1, 9, 8], [20, 3, 12]] as const) {
      compare({ batch: 24, L, S, E, Ev: E, mask: "pad", heads: 4, dropout: 0.1 });
      compare({ batch: 24, L, S, E, Ev: E, causal: true, dropout: 0.1 });
      compare({ batch: 8, L, S, E, Ev: E, mask: "pad", heads: 2, causal: true });
    }
  });

  it("matches with widths that are not multiples of 8, masks broadcast over keys, dropout with a mask gradient", () => {
    compare({ batch: 5, L: 11, S: 21, E: 5, Ev: 32, mask: "boolRow" });
    compare({ batch: 5, L: 11, S: 21, E: 24, Ev: 3, mask: "pad", heads: 5, dropout: 0.5 });
    compare({ batch: 3, L: 17, S: 33, E: 16, Ev: 8, mask: "float", dropout: 0.2 });
    compare({ batch: 2, L: 9, S: 30, E: 7, Ev: 7, dropout: 0.97 });
    compare({ batch: 6, L: 13, S: 10, E: 16, Ev: 16, mask: "floatFull", causal: true, dropout: 0.1 });
  });

  it("matches with several row blocks per task (L > 64) and per row block (few problems)", () => {
    compare({ batch: 4, L: 150, S: 67, E: 16, Ev: 16, causal: true, dropout: 0.1 });
    compare({ batch: 5, L: 131, S: 131, E: 9, Ev: 24, mask: "pad", heads: 5 });
    compare({ batch: 1, L: 200, S: 45, E: 32, Ev: 8, mask: "float" });
    compare({ batch: 2, L: 30, S: 5, E: 5000, Ev: 3, causal: true }); // wide rows: blocks of 24 query rows
    compare({ batch: 1, L: 70, S: 6, E: 4, Ev: 2100 }); // blocks of 60
  });

  it("matches with the 6×8 forward products (S ≥ 128): odd widths and row counts, masks, causal, dropout", () => {
    compare({ batch: 2, L: 130, S: 131, E: 12, Ev: 7, causal: true });
    compare({ batch: 2, L: 67, S: 200, E: 9, Ev: 18, mask: "bool" });
    compare({ batch: 3, L: 150, S: 129, E: 5, Ev: 3, mask: "float", dropout: 0.2 });
    compare({ batch: 2, L: 61, S: 257, E: 70, Ev: 66, mask: "pad", heads: 1, dropout: 0.1 });
    compare({ batch: 2, L: 129, S: 128, E: 1, Ev: 1, mask: "boolRow" });
    compare({ batch: 1, L: 30, S: 130, E: 5000, Ev: 3, causal: true }); // wide rows: blocks of 24 query rows
  });

  it("matches with the backward's transposed tiles packed (from 512 keys): odd widths, float mask gradient, dropout, causal", () => {
    compare({ batch: 1, L: 70, S: 520, E: 9, Ev: 18, mask: "float", dropout: 0.1 });
    compare({ batch: 2, L: 600, S: 600, E: 8, Ev: 5, causal: true }); // blocks below and above 512 keys
  });

  it("falls back to the reference for float64 problems", () => {
    const p = problem({ batch: 1, L: 3, S: 4, E: 2, Ev: 2 });
    const p64 = { ...p, q: Float64Array.from(p.q), k: Float64Array.from(p.k), v: Float64Array.from(p.v), mask: null };
    const got = wasmFusedKernels.attentionForward(p64);
    expect(got.out).toBeInstanceOf(Float64Array);
    expect(Array.from(got.out)).toEqual(Array.from(referenceFusedKernel("attentionForward")(p64).out));
  });
});

describe("wasm fused attention, strided layout (heads of [B, L, H·E] in place)", () => {
  // tiny (a small transformer: L = S ≈ 10, E = 32, B·H = 512), widths not multiples of 8, larger
  // shapes with several row blocks; key padding broadcast as [B, 1, 1, S] (offsets per batch
  // element), float masks, causal, dropout
  const cases: StridedOpts[] = [
    { batch: 512, L: 10, S: 10, E: 32, Ev: 32, heads: 4, mask: "pad", dropout: 0.1 },
    { batch: 512, L: 11, S: 9, E: 32, Ev: 32, heads: 4, causal: true, dropout: 0.1 },
    { batch: 12, L: 13, S: 17, E: 5, Ev: 3, heads: 3, mask: "pad" },
    { batch: 6, L: 17, S: 33, E: 12, Ev: 20, heads: 2, mask: "float", causal: true },
    { batch: 6, L: 19, S: 23, E: 16, Ev: 8, heads: 3, mask: "floatFull", dropout: 0.3 },
    { batch: 4, L: 9, S: 30, E: 7, Ev: 24, heads: 4, mask: "boolRow" },
    { batch: 4, L: 150, S: 67, E: 16, Ev: 16, heads: 2, causal: true, dropout: 0.1 },
    { batch: 2, L: 131, S: 100, E: 9, Ev: 32, heads: 2, mask: "pad" },
    { batch: 2, L: 64, S: 64, E: 32, Ev: 32, heads: 1, causal: true }, // one head: contiguous strides with per-batch offsets
    { batch: 4, L: 70, S: 140, E: 12, Ev: 20, heads: 2, mask: "pad", causal: true, dropout: 0.1 }, // S ≥ 128: the 6×8 products
  ];

  it("matches the reference on 1 thread", () => {
    expect(setBackend("wasm")).toBe(true);
    setNumThreads(1);
    for (const o of cases) compareStrided(o);
  });

  it("matches the reference on 2 threads (tasks per problem, per row block, and backward split by rows)", () => {
    expect(setBackend("wasm")).toBe(true);
    expect(setNumThreads(2)).toBe(2);
    const run = vi.spyOn(WorkerPool.prototype, "run");
    // 2 problems of 150 and 131 rows: forward by row blocks, backward split by query rows with partial dK, dV
    for (const o of [...cases, { batch: 2, L: 150, S: 45, E: 8, Ev: 5, heads: 2, dropout: 0.2 }, { batch: 2, L: 131, S: 70, E: 24, Ev: 16, heads: 2, causal: true }]) compareStrided(o);
    expect(run).toHaveBeenCalled();
    run.mockRestore();
    setNumThreads(1);
    expect(getNumThreads()).toBe(1);
  });

  it("reads every stride: a layout with one stride changed gives different results", () => {
    expect(setBackend("wasm")).toBe(true);
    const o: StridedOpts = { batch: 4, L: 6, S: 6, E: 8, Ev: 8, heads: 2 };
    const p = interleaveHeads(problem(o), 2, 2);
    const ref = referenceFusedKernel("attentionForward")(p);
    const gradOut = values(ref.out.length, 5);
    const bwdRef = referenceFusedKernel("attentionBackward")({ ...p, ...ref, gradOut, wantMaskGrad: false });
    const lay = p.layout!;
    // halving a stride keeps every row in bounds; the reference and wasm must agree on the changed layout too
    const variants: [string, Partial<AttentionLayout>][] = [["qRow", { qRow: 8 }], ["kRow", { kRow: 8 }], ["vRow", { vRow: 8 }], ["outRow", { outRow: 8 }]];
    for (const [name, change] of variants) {
      const q = { ...p, layout: { ...lay, ...change } };
      const f = wasmFusedKernels.attentionForward(q);
      const fr = referenceFusedKernel("attentionForward")(q);
      expect(f.out, `out ${name}`).toBeAllclose(fr.out, { atol: 2e-5 });
      expect(f.logsumexp, `logsumexp ${name}`).toBeAllclose(fr.logsumexp, { atol: 2e-5 });
      const args = { ...q, ...fr, gradOut, wantMaskGrad: false };
      const b = wasmFusedKernels.attentionBackward(args);
      const br = referenceFusedKernel("attentionBackward")(args);
      for (const g of ["dq", "dk", "dv"] as const) expect(b[g], `${g} ${name}`).toBeAllclose(br[g], { atol: 2e-5 });
      const changed = Math.max(...["out", "logsumexp"].map((n) => maxAbsDiff(f[n as "out"], ref[n as "out"])), ...(["dq", "dk", "dv"] as const).map((g) => maxAbsDiff(b[g], bwdRef[g])));
      expect(changed, name).toBeGreaterThan(1e-3);
    }
  });
});

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};
