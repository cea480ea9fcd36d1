import { gradCheck } from "@heed/autograd";
import { Tensor, tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { referenceAttention, rnd, type BiasFn } from "../../test/utils/reference.js";
import { dotProductAttention, scaledDotProductAttention } from "./sdpa.js";
import type { AttentionImplementation, AttentionOptions } from "./types.js";

const IMPLS: AttentionImplementation[] = ["composed", "memoryEfficient"];

/** Reads element (…, i, j) of a mask broadcast to [batch, L, S] with batch = product of `lead`. */
function maskBias(mask: Tensor, lead: number[], L: number, S: number): BiasFn {
  const full = [...lead, L, S];
  const shape = [...new Array<number>(full.length - mask.rank).fill(1), ...mask.shape];
  return (b, i, j) => {
    const idx: number[] = [];
    let rest = b;
    for (let d = lead.length - 1; d >= 0; d--) {
      idx.unshift(rest % lead[d]!);
      rest = Math.floor(rest / lead[d]!);
    }
    idx.push(i, j);
    let off = 0;
    for (let d = 0; d < full.length; d++) off = off * shape[d]! + (shape[d] === 1 ? 0 : idx[d]!);
    const x = mask.data[off]!;
    return mask.dtype === "bool" ? (x ? 0 : -Infinity) : x;
  };
}

interface Case {
  name: string;
  lead: number[];
  L: number;
  S: number;
  E: number;
  Ev: number;
  mask?: Tensor;
  causal?: boolean;
  scale?: number;
}

const boolLS = tensor([[true, false, true, true, false, true, true], [false, true, true, false, true, true, false], [true, true, false, true, true, false, true]]);
const cases: Case[] = [
  { name: "no mask, L != S, Ev != E", lead: [2, 3], L: 3, S: 7, E: 4, Ev: 5 },
  { name: "bool [L,S] mask", lead: [2], L: 3, S: 7, E: 2, Ev: 3, mask: boolLS },
  { name: "bool [B,1,1,S] key-padding style mask", lead: [2, 2], L: 3, S: 4, E: 2, Ev: 2, mask: tensor([true, true, false, true, true, false, false, true].map(Boolean), [2, 1, 1, 4], "bool") },
  { name: "float [B,H,L,S] mask", lead: [2, 2], L: 3, S: 4, E: 2, Ev: 3, mask: rnd([2, 2, 3, 4], 11) },
  { name: "float [S] mask", lead: [2], L: 3, S: 4, E: 3, Ev: 2, mask: rnd([4], 12) },
  { name: "float [L,1] mask", lead: [2], L: 3, S: 4, E: 3, Ev: 2, mask: rnd([3, 1], 13) },
  { name: "causal L < S", lead: [2], L: 3, S: 6, E: 2, Ev: 3, causal: true },
  { name: "causal L > S", lead: [2], L: 6, S: 3, E: 2, Ev: 3, causal: true },
  { name: "custom scale", lead: [2], L: 4, S: 5, E: 3, Ev: 3, scale: 0.25 },
  { name: "rank-2 inputs", lead: [], L: 4, S: 5, E: 3, Ev: 2 },
];

function inputs(c: Case): [Tensor, Tensor, Tensor] {
  return [rnd([...c.lead, c.L, c.E], 1), rnd([...c.lead, c.S, c.E], 2), rnd([...c.lead, c.S, c.Ev], 3)];
}

function opts(c: Case, implementation: AttentionImplementation): AttentionOptions & { returnWeights?: false } {
  return { attnMask: c.mask ?? null, isCausal: c.causal ?? false, scale: c.scale ?? null, implementation };
}

describe("scaledDotProductAttention", () => {
  for (const c of cases) {
    const batch = c.lead.reduce((a, x) => a * x, 1);
    const [q, k, v] = inputs(c);
    const bias: BiasFn = c.causal ? (_b, i, j) => (j > i ? -Infinity : 0) : c.mask ? maskBias(c.mask, c.lead, c.L, c.S) : () => 0;
    const ref = referenceAttention(q.data, k.data, v.data, { batch, L: c.L, S: c.S, E: c.E, Ev: c.Ev }, c.scale ?? 1 / Math.sqrt(c.E), bias);
    for (const impl of IMPLS) {
      it(`${c.name} (${impl}): shape and values match a float64 reference`, () => {
        const out = scaledDotProductAttention(q, k, v, opts(c, impl));
        expect(out.shape).toEqual([...c.lead, c.L, c.Ev]);
        expect(out.data).toBeAllclose(ref.out, { rtol: 1e-10, atol: 1e-12 });
        if (impl === "composed") {
          const { weights } = scaledDotProductAttention(q, k, v, { ...opts(c, impl), returnWeights: true });
          expect(weights.shape).toEqual([...c.lead, c.L, c.S]);
          expect(weights.data).toBeAllclose(ref.weights, { rtol: 1e-10, atol: 1e-12 });
        }
      });
      it(`${c.name} (${impl}): gradCheck`, () => {
        const withMask = c.mask !== undefined && c.mask.dtype !== "bool";
        const f = (q: Tensor, k: Tensor, v: Tensor, m?: Tensor): Tensor =>
          scaledDotProductAttention(q, k, v, { ...opts(c, impl), attnMask: m ?? c.mask ?? null });
        const r = gradCheck(f, withMask ? [q, k, v, c.mask!] : [q, k, v]);
        expect(r.ok, JSON.stringify(r)).toBe(true);
      });
    }
  }

  it("dotProductAttention uses scale 1", () => {
    const [q, k, v] = inputs(cases[0]!);
    const a = dotProductAttention(q, k, v);
    const b = scaledDotProductAttention(q, k, v, { scale: 1 });
    expect(a.data).toEqual(b.data);
    const ref = referenceAttention(q.data, k.data, v.data, { batch: 6, L: 3, S: 7, E: 4, Ev: 5 }, 1);
    expect(a.data).toBeAllclose(ref.out, { rtol: 1e-10, atol: 1e-12 });
  });

  it("broadcasts leading dims (k and v shared across heads) and sums their gradients", () => {
    const q = rnd([2, 3, 4, 2], 1);
    const k = rnd([2, 1, 5, 2], 2);
    const v = rnd([1, 5, 3], 3);
    for (const implementation of IMPLS) {
      const out = scaledDotProductAttention(q, k, v, { implementation });
      expect(out.shape).toEqual([2, 3, 4, 3]);
      const r = gradCheck((q, k, v) => scaledDotProductAttention(q, k, v, { implementation }), [q, k, v]);
      expect(r.ok, JSON.stringify(r)).toBe(true);
    }
  });
});
