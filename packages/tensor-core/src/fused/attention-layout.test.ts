import { describe, expect, it } from "vitest";
import { attentionBackwardReference } from "./attention-backward.js";
import { attentionForwardReference } from "./attention-forward.js";
import type { AttentionProblem } from "./attention-kernel.js";
import { deinterleave, interleave, interleaveHeads } from "../../test/utils/head-layout.js";
import { lcgValues } from "../../test/utils/values.js";

const values = lcgValues;

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

describe("strided layout (heads read and written in place)", () => {
  const [B, H, L, S, E, Ev] = [2, 3, 5, 7, 4, 6];
  const batch = B * H;
  const base: AttentionProblem<Float64Array> = {
    batch, L, S, E, Ev, q: values(batch * L * E, 1), k: values(batch * S * E, 2), v: values(batch * S * Ev, 3),
    qOffsets: Int32Array.from({ length: batch }, (_, b) => b * L * E),
    kOffsets: Int32Array.from({ length: batch }, (_, b) => b * S * E),
    vOffsets: Int32Array.from({ length: batch }, (_, b) => b * S * Ev),
    // key padding per batch element, broadcast over heads and rows: [B, 1, 1, S]
    mask: { kind: "bool", data: Uint8Array.from({ length: B * S }, (_, i) => (i % S === S - 1 && i >= S ? 0 : 1)), offsets: Int32Array.from({ length: batch }, (_, b) => Math.floor(b / H) * S), strideL: 0, strideS: 1 },
    scale: 0.6, causal: true, dropout: { p: 0.2, seed: 77 },
  };

  it("interleave and deinterleave are inverse permutations", () => {
    const a = values(B * H * L * E, 9);
    const t = interleave(a, B, H, L, E);
    expect(maxDiff(t, a)).toBeGreaterThan(0);
    expect(maxDiff(deinterleave(t, B, H, L, E), a)).toBe(0);
  });

  it("forward and backward of the interleaved problem equal the row-major ones, permuted", () => {
    const strided = interleaveHeads(base, B, H);
    const f0 = attentionForwardReference(base);
    const f1 = attentionForwardReference(strided);
    expect(maxDiff(deinterleave(f1.out, B, H, L, Ev), f0.out)).toBeLessThan(1e-12);
    expect(maxDiff(f1.logsumexp, f0.logsumexp)).toBe(0);
    const gradOut = values(batch * L * Ev, 4);
    const b0 = attentionBackwardReference({ ...base, ...f0, gradOut, wantMaskGrad: false });
    const b1 = attentionBackwardReference({ ...strided, ...f1, gradOut: interleave(gradOut, B, H, L, Ev), wantMaskGrad: false });
    expect(maxDiff(deinterleave(b1.dq, B, H, L, E), b0.dq)).toBeLessThan(1e-12);
    expect(maxDiff(deinterleave(b1.dk, B, H, S, E), b0.dk)).toBeLessThan(1e-12);
    expect(maxDiff(deinterleave(b1.dv, B, H, S, Ev), b0.dv)).toBeLessThan(1e-12);
  });
});
