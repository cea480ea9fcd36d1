/**
 * The attention forward on 2 threads with the caller's copies overlapping the tasks
 * (attention-staging.ts): inputs copied in problem by problem while a worker starts, finished
 * problems copied out while others compute. The results must be the 1-thread bits for every
 * way the inputs can be laid out: row-major, broadcast k and v (offsets all 0), strided heads,
 * one packed [B, L, 3·H·E] array as q, k and v (with B = 1 problem 0 reads all of it),
 * offsets in decreasing order, and with a mask, causal and dropout; copyInputs must raise READY
 * only once a problem's reads are in memory, in steps of at least 64 KB (tiny problems grouped).
 */
import { afterAll, describe, expect, it } from "vitest";
import type { AttentionProblem } from "../../fused/attention-kernel.js";
import { setNumThreads } from "../../node/threads.js";
import { getBackend, referenceFusedKernel, setBackend } from "../registry.js";
import { wasmFusedKernels } from "./attention.js";
import { copyInputs, inputCopier } from "./attention-staging.js";
import { DESC_WORDS, READY } from "./attention-descriptor.js";
import { getRuntime } from "./state.js";
import { lcgValues } from "../../../test/utils/values.js";

const initial = getBackend();
afterAll(() => {
  setNumThreads(1);
  setBackend(initial);
});

const values = (n: number, seed: number): Float32Array => Float32Array.from(lcgValues(n, seed));
const offsets = (n: number, step: number): Int32Array => Int32Array.from({ length: n }, (_, b) => b * step);

function rowMajor(batch: number, L: number, S: number, E: number, Ev: number): AttentionProblem<Float32Array> {
  return {
    batch, L, S, E, Ev, q: values(batch * L * E, 1), k: values(batch * S * E, 2), v: values(batch * S * Ev, 3),
    qOffsets: offsets(batch, L * E), kOffsets: offsets(batch, S * E), vOffsets: offsets(batch, S * Ev), mask: null, scale: 0.3, causal: false, dropout: null,
  };
}

/** q, k, v as columns of one [B, L, 3·H·E] array (heads read in place), out [B, L, H·E]. */
function packed(B: number, H: number, L: number, E: number): AttentionProblem<Float32Array> {
  const row = 3 * H * E;
  const at = (part: number): Int32Array => Int32Array.from({ length: B * H }, (_, p) => Math.floor(p / H) * L * row + part * H * E + (p % H) * E);
  const outOffsets = Int32Array.from({ length: B * H }, (_, p) => Math.floor(p / H) * L * H * E + (p % H) * E);
  const qkv = values(B * L * row, 4);
  return {
    batch: B * H, L, S: L, E, Ev: E, q: qkv, k: qkv, v: qkv, qOffsets: at(0), kOffsets: at(1), vOffsets: at(2), mask: null, scale: 0.4, causal: false, dropout: null,
    layout: { qRow: row, kRow: row, vRow: row, outRow: H * E, outOffsets, outLength: B * L * H * E },
  };
}

const cases: [string, AttentionProblem<Float32Array>][] = [
  ["row-major, 8 problems of 300 rows (out of 1 MB: pages faulted in first)", rowMajor(8, 300, 160, 40, 112)],
  ["row-major, 24 small problems", rowMajor(24, 20, 33, 8, 12)],
  ["k and v broadcast (offsets all 0)", { ...rowMajor(10, 70, 50, 16, 24), k: values(50 * 16, 5), v: values(50 * 24, 6), kOffsets: new Int32Array(10), vOffsets: new Int32Array(10) }],
  ["offsets in decreasing order", { ...rowMajor(9, 40, 40, 16, 16), qOffsets: offsets(9, 40 * 16).reverse(), vOffsets: offsets(9, 40 * 16).reverse() }],
  ["packed q | k | v, strided heads", packed(3, 4, 48, 16)],
  // one batch item: problem 0 reads rows spread over the whole 3 MB array, copied before the workers wake
  ["packed q | k | v, every head reading the whole array", packed(1, 8, 512, 64)],
  ["causal, dropout and a float mask", {
    ...rowMajor(12, 64, 64, 16, 16), causal: true, dropout: { p: 0.2, seed: 9 },
    mask: { kind: "float", data: values(64 * 64, 7), offsets: new Int32Array(12), strideL: 64, strideS: 1 },
  }],
];

describe("attention forward on 2 threads with overlapped copies", () => {
  it.each(cases)("gives the 1-thread bits: %s", (_, p) => {
    expect(setBackend("wasm")).toBe(true);
    setNumThreads(1);
    const one = wasmFusedKernels.attentionForward(p);
    expect(setNumThreads(2)).toBe(2);
    // several calls: the worker joins some late, some early (spinning from the last call)
    for (let call = 0; call < 3; call++) {
      const two = wasmFusedKernels.attentionForward(p);
      for (const key of ["out", "logsumexp"] as const) {
        expect(two[key].length, key).toBe(one[key].length);
        let differ = 0;
        for (let j = 0; j < one[key].length; j++) if (!Object.is(one[key][j], two[key][j])) differ++;
        expect(differ, `${key}, call ${call}`).toBe(0);
      }
    }
    if (p.batch * p.L * p.S * p.E > 1 << 24) return; // the 1-thread kernel is checked against the reference elsewhere; this one is slow in JS
    const want = referenceFusedKernel("attentionForward")(p);
    let worst = 0;
    for (let j = 0; j < want.out.length; j++) worst = Math.max(worst, Math.abs(one.out[j]! - want.out[j]!) / (1 + Math.abs(want.out[j]!)));
    expect(worst).toBeLessThan(1e-4);
    setNumThreads(1);
  });

  it.each([
    // tiny problems are grouped: one READY step for all 6 (then the final store)
    ["6 tiny heads", packed(2, 3, 5, 4), [6, 6]],
    // head 0 of each batch item reads rows spread over the item's 48K floats: a step there, the other heads need 32 floats more each
    ["2 items of 4 heads, 128 rows", packed(2, 4, 128, 32), [1, 5, 8, 8]],
  ])("raises READY to b + 1 only once every float problems 0..b read is copied: %s", (_, p, steps) => {
    expect(setBackend("wasm")).toBe(true);
    setNumThreads(1);
    const rt = getRuntime();
    const [desc, base] = rt.layout([4 * DESC_WORDS, p.q.byteLength]);
    const ptr = new Map([["q", base!]]);
    const f32 = rt.f32;
    f32.fill(NaN, base! >> 2, (base! >> 2) + p.q.length);
    const seen: number[] = [];
    const missing: string[] = [];
    // a READY store is observable through the i32 view: check the copied prefix at each one
    const i32 = rt.i32;
    const at = (desc! >> 2) + READY;
    const store = Atomics.store;
    Atomics.store = ((a: Int32Array, i: number, v: number) => {
      if (a === i32 && i === at) {
        const row = p.layout!.qRow;
        for (let b = 0; b < v; b++) {
          for (const o of [p.qOffsets[b]!, p.kOffsets[b]!, p.vOffsets[b]!]) {
            for (let r = 0; r < p.L; r++) for (let e = 0; e < p.E; e++) if (!Object.is(f32[(base! >> 2) + o + r * row + e], p.q[o + r * row + e])) missing.push(`READY ${v}, problem ${b}: float ${o + r * row + e}`);
          }
        }
        seen.push(v);
      }
      return store(a, i, v);
    }) as typeof Atomics.store;
    try {
      copyInputs(rt, p, p.layout!, ptr, { k: "q", v: "q" }, desc!);
    } finally {
      Atomics.store = store;
    }
    expect(missing.slice(0, 3)).toEqual([]);
    expect(seen).toEqual(steps);
    expect(i32[at]).toBe(p.batch);
    expect(Array.from(f32.subarray(base! >> 2, (base! >> 2) + p.q.length))).toEqual(Array.from(p.q));
  });

  it("copies one step before the workers wake, the rest later, and always ends with READY at the batch size", () => {
    expect(setBackend("wasm")).toBe(true);
    setNumThreads(1);
    const p = packed(2, 4, 128, 32);
    const rt = getRuntime();
    const [desc, base] = rt.layout([4 * DESC_WORDS, p.q.byteLength]);
    const at = (desc! >> 2) + READY;
    rt.i32[at] = 0;
    const copyIn = inputCopier(rt, p, p.layout!, new Map([["q", base!]]), { k: "q", v: "q" }, desc!);
    copyIn(1);
    expect(rt.i32[at]).toBe(1); // head 0 of item 0 (the steps: 1, 5, 8)
    copyIn(1);
    expect(rt.i32[at]).toBe(5);
    copyIn();
    expect(rt.i32[at]).toBe(8);
    expect(Array.from(rt.f32.subarray(base! >> 2, (base! >> 2) + p.q.length))).toEqual(Array.from(p.q));
    // a copy that throws still releases the workers
    const bad = inputCopier(rt, { ...p, qOffsets: null as unknown as Int32Array }, p.layout!, new Map([["q", base!]]), { k: "q", v: "q" }, desc!);
    rt.i32[at] = 0;
    expect(() => bad()).toThrow();
    expect(rt.i32[at]).toBe(8);
  });
});
