/**
 * Test helper (not exported by the package): the same attention problems with their heads
 * interleaved, as multi-head attention lays them out — row i of head h of batch b at
 * [b, i, h, :] of a [B, L, H·E] tensor — so a strided kernel can be checked against the
 * row-major one.
 */
import type { AttentionProblem } from "../../src/fused/attention-kernel.js";
import type { FloatArray } from "../../src/fused/float-array.js";

/** [B, H, R, W] blocks → [B, R, H, W] rows. */
export function interleave<A extends FloatArray>(a: A, B: number, H: number, R: number, W: number): A {
  const out = (a instanceof Float64Array ? new Float64Array(a.length) : new Float32Array(a.length)) as A;
  for (let b = 0; b < B; b++) for (let h = 0; h < H; h++) for (let r = 0; r < R; r++) {
    for (let w = 0; w < W; w++) out[((b * R + r) * H + h) * W + w] = a[((b * H + h) * R + r) * W + w]!;
  }
  return out;
}

/** [B, R, H, W] rows → [B, H, R, W] blocks. */
export function deinterleave<A extends FloatArray>(a: A, B: number, H: number, R: number, W: number): A {
  const out = (a instanceof Float64Array ? new Float64Array(a.length) : new Float32Array(a.length)) as A;
  for (let b = 0; b < B; b++) for (let h = 0; h < H; h++) for (let r = 0; r < R; r++) {
    for (let w = 0; w < W; w++) out[((b * H + h) * R + r) * W + w] = a[((b * R + r) * H + h) * W + w]!;
  }
  return out;
}

/** `p` (batch = B·H row-major problems, no shared blocks) with q, k, v and out in the interleaved layout. */
export function interleaveHeads<A extends FloatArray>(p: AttentionProblem<A>, B: number, H: number): AttentionProblem<A> {
  const { L, S, E, Ev } = p;
  if (p.batch !== B * H) throw new Error(`interleaveHeads: batch ${p.batch} is not B·H = ${B}·${H}`);
  const offsets = (R: number, W: number) => Int32Array.from({ length: B * H }, (_, b) => Math.floor(b / H) * R * H * W + (b % H) * W);
  return {
    ...p,
    q: interleave(p.q, B, H, L, E), k: interleave(p.k, B, H, S, E), v: interleave(p.v, B, H, S, Ev),
    qOffsets: offsets(L, E), kOffsets: offsets(S, E), vOffsets: offsets(S, Ev),
    layout: { qRow: H * E, kRow: H * E, vRow: H * Ev, outRow: H * Ev, outOffsets: offsets(L, Ev), outLength: B * H * L * Ev },
  };
}
