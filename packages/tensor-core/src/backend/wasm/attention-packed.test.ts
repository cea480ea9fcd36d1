/**
 * The wasm fused attention kernels on one array passed as q, k and v: packed projections
 * [B, L, 3·H·E] (self-attention q | k | v side by side, heads read in place) share one copy and
 * one gradient block; the same block passed twice (attention of x with itself) keeps a gradient
 * block per input. Against the reference, whose dq, dk, dv are always separate arrays (zero
 * outside their own columns), on 1 and 2 threads (2 threads with one problem split by rows).
 */
import { afterAll, describe, expect, it } from "vitest";
import type { AttentionProblem } from "../../fused/attention-kernel.js";
import { setNumThreads } from "../../node/threads.js";
import { getBackend, referenceFusedKernel, setBackend } from "../registry.js";
import { wasmFusedKernels } from "./attention.js";
import { lcgValues } from "../../../test/utils/values.js";

const initial = getBackend();
afterAll(() => {
  setNumThreads(1);
  setBackend(initial);
});

/** q, k, v of B·H problems as columns 0, HE and 2·HE of one [B, L, 3·H·E] array. */
function packed(B: number, H: number, L: number, E: number, causal: boolean): AttentionProblem<Float32Array> {
  const row = 3 * H * E;
  const at = (part: number): Int32Array => Int32Array.from({ length: B * H }, (_, p) => Math.floor(p / H) * L * row + part * H * E + (p % H) * E);
  const outOffsets = Int32Array.from({ length: B * H }, (_, p) => Math.floor(p / H) * L * H * E + (p % H) * E);
  const qkv = Float32Array.from(lcgValues(B * L * row, 3));
  return {
    batch: B * H, L, S: L, E, Ev: E, q: qkv, k: qkv, v: qkv, qOffsets: at(0), kOffsets: at(1), vOffsets: at(2),
    mask: null, scale: 0.4, causal, dropout: null,
    layout: { qRow: row, kRow: row, vRow: row, outRow: H * E, outOffsets, outLength: B * L * H * E },
  };
}

/** x [batch, L, E] as q, k and v (same blocks). */
function selfSame(batch: number, L: number, E: number): AttentionProblem<Float32Array> {
  const x = Float32Array.from(lcgValues(batch * L * E, 5));
  const offsets = Int32Array.from({ length: batch }, (_, b) => b * L * E);
  return { batch, L, S: L, E, Ev: E, q: x, k: x, v: x, qOffsets: offsets, kOffsets: offsets, vOffsets: offsets, mask: null, scale: 0.5, causal: false, dropout: null };
}

const sum3 = (a: Float32Array, b: Float32Array, c: Float32Array): Float32Array => a.map((x, i) => x + b[i]! + c[i]!);

function check(p: AttentionProblem<Float32Array>, shared: boolean): void {
  const fwd = wasmFusedKernels.attentionForward(p);
  const ref = referenceFusedKernel("attentionForward")(p);
  expect(fwd.out).toBeAllclose(ref.out, { atol: 2e-5 });
  const gradOut = Float32Array.from(lcgValues(ref.out.length, 7));
  const args = { ...p, out: ref.out, logsumexp: ref.logsumexp, gradOut, wantMaskGrad: false };
  const bwd = wasmFusedKernels.attentionBackward(args);
  const want = referenceFusedKernel("attentionBackward")(args);
  const total = sum3(want.dq, want.dk, want.dv);
  if (shared) {
    // one gradient block for the one input: dq, dk and dv are the same array, holding their sum
    expect(bwd.dk).toBe(bwd.dq);
    expect(bwd.dv).toBe(bwd.dq);
    expect(bwd.dq).toBeAllclose(total, { atol: 2e-5 });
  } else {
    expect(bwd.dk).not.toBe(bwd.dq);
    expect(bwd.dq).toBeAllclose(want.dq, { atol: 2e-5 });
    expect(bwd.dk).toBeAllclose(want.dk, { atol: 2e-5 });
    expect(bwd.dv).toBeAllclose(want.dv, { atol: 2e-5 });
  }
}

describe("wasm fused attention on one array as q, k and v", () => {
  for (const threads of [1, 2]) {
    it(`packed columns share one gradient block (${threads} thread(s))`, () => {
      expect(setBackend("wasm")).toBe(true);
      setNumThreads(threads);
      check(packed(2, 3, 9, 8, false), true);
      check(packed(3, 2, 17, 12, true), true);
      check(packed(1, 1, 70, 16, false), true); // one problem: split by rows on 2 threads
    });

    it(`the same blocks as q, k and v keep a gradient each (${threads} thread(s))`, () => {
      expect(setBackend("wasm")).toBe(true);
      setNumThreads(threads);
      check(selfSame(4, 11, 8), false);
      check(selfSame(1, 70, 16), false);
    });
  }
});
