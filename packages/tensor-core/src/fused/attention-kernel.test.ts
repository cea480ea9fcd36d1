import { describe, expect, it } from "vitest";
import type { AttentionMaskArg, AttentionProblem } from "./attention-kernel.js";
import { attentionBackwardReference } from "./attention-backward.js";
import { attentionForwardReference } from "./attention-forward.js";
import { dropoutFactor } from "./dropout-hash.js";
import { fusedKernelFor, referenceFusedKernel, setBackend } from "../backend/registry.js";
import { lcgValues } from "../../test/utils/values.js";

const values = lcgValues;

/** Dense float64 attention for problem b: the full P matrix, written the obvious way. */
function dense(p: AttentionProblem, b: number): { P: number[][]; bias: number[][] } {
  const { L, S, E, q, k, scale, mask, causal } = p;
  const P: number[][] = [];
  const bias: number[][] = [];
  for (let i = 0; i < L; i++) {
    const s: number[] = [];
    bias.push([]);
    for (let j = 0; j < S; j++) {
      let dot = 0;
      for (let e = 0; e < E; e++) dot += q[p.qOffsets[b]! + i * E + e]! * k[p.kOffsets[b]! + j * E + e]!;
      let add = 0;
      if (mask !== null) {
        const x = mask.data[mask.offsets[b]! + i * mask.strideL + j * mask.strideS]!;
        add = mask.kind === "bool" ? (x ? 0 : -Infinity) : x;
      }
      if (causal && j > i) add = -Infinity;
      bias[i]!.push(add);
      s.push(scale * dot + add);
    }
    const mx = Math.max(...s);
    const ex = s.map((x) => (mx === -Infinity ? 0 : Math.exp(x - mx)));
    const sum = ex.reduce((a, x) => a + x, 0);
    P.push(ex.map((x) => (sum > 0 ? x / sum : 0)));
  }
  return { P, bias };
}

function problem(o: { batch: number; L: number; S: number; E: number; Ev: number; mask?: AttentionMaskArg<Float64Array> | null; causal?: boolean; shareK?: boolean; dropout?: number }): AttentionProblem<Float64Array> {
  const { batch, L, S, E, Ev } = o;
  const kBlocks = o.shareK ? 1 : batch;
  return {
    batch, L, S, E, Ev,
    q: values(batch * L * E, 1), k: values(kBlocks * S * E, 2), v: values(batch * S * Ev, 3),
    qOffsets: Int32Array.from({ length: batch }, (_, b) => b * L * E),
    kOffsets: Int32Array.from({ length: batch }, (_, b) => (o.shareK ? 0 : b * S * E)),
    vOffsets: Int32Array.from({ length: batch }, (_, b) => b * S * Ev),
    mask: o.mask ?? null, scale: 0.7, causal: o.causal ?? false,
    dropout: o.dropout ? { p: o.dropout, seed: 1234 } : null,
  };
}

function checkForward(p: AttentionProblem<Float64Array>): void {
  const { out, logsumexp } = attentionForwardReference(p);
  for (let b = 0; b < p.batch; b++) {
    const { P } = dense(p, b);
    for (let i = 0; i < p.L; i++) {
      for (let e = 0; e < p.Ev; e++) {
        let want = 0;
        for (let j = 0; j < p.S; j++) {
          const f = p.dropout ? dropoutFactor(p.dropout.seed, b * p.L + i, j, p.dropout.p) : 1;
          want += P[i]![j]! * f * p.v[p.vOffsets[b]! + j * p.Ev + e]!;
        }
        expect(out[(b * p.L + i) * p.Ev + e]).toBeCloseTo(want, 12);
      }
      expect(Number.isNaN(logsumexp[b * p.L + i])).toBe(false);
    }
  }
}

/** Central differences of Σ out·w with respect to one array. */
function numericGrad(p: AttentionProblem<Float64Array>, arr: Float64Array, w: Float64Array): Float64Array {
  const g = new Float64Array(arr.length);
  const h = 1e-6;
  const f = (): number => attentionForwardReference(p).out.reduce((a, x, i) => a + x * w[i]!, 0);
  for (let i = 0; i < arr.length; i++) {
    const x = arr[i]!;
    arr[i] = x + h;
    const up = f();
    arr[i] = x - h;
    const down = f();
    arr[i] = x;
    g[i] = (up - down) / (2 * h);
  }
  return g;
}

function checkBackward(p: AttentionProblem<Float64Array>): void {
  const { out, logsumexp } = attentionForwardReference(p);
  const gradOut = values(out.length, 9);
  const r = attentionBackwardReference({ ...p, out, logsumexp, gradOut, wantMaskGrad: true });
  const pairs: [Float64Array, Float64Array][] = [[p.q, r.dq], [p.k, r.dk], [p.v, r.dv]];
  if (p.mask?.kind === "float") pairs.push([p.mask.data as Float64Array, r.dmask!]);
  for (const [arr, analytic] of pairs) {
    const numeric = numericGrad(p, arr, gradOut);
    for (let i = 0; i < arr.length; i++) expect(analytic[i]).toBeCloseTo(numeric[i]!, 6);
  }
}

const boolMask = (L: number, S: number): AttentionMaskArg<Float64Array> => ({
  kind: "bool", data: Uint8Array.from({ length: L * S }, (_, x) => (x % 3 === 1 ? 0 : 1)),
  offsets: new Int32Array(2), strideL: S, strideS: 1,
});
const floatRowMask = (S: number, batch: number): AttentionMaskArg<Float64Array> => ({
  kind: "float", data: values(batch * S, 5), offsets: Int32Array.from({ length: batch }, (_, b) => b * S), strideL: 0, strideS: 1,
});

describe("fused attention reference kernels", () => {
  const cases: [string, AttentionProblem<Float64Array>][] = [
    ["plain, L != S, Ev != E", problem({ batch: 2, L: 5, S: 7, E: 3, Ev: 4 })],
    ["several key blocks", problem({ batch: 1, L: 20, S: 150, E: 2, Ev: 2 })],
    ["causal L < S", problem({ batch: 2, L: 3, S: 6, E: 2, Ev: 3, causal: true })],
    ["causal L > S, many blocks", problem({ batch: 1, L: 40, S: 70, E: 2, Ev: 2, causal: true })],
    ["bool [L,S] mask broadcast over batch", problem({ batch: 2, L: 4, S: 5, E: 3, Ev: 2, mask: boolMask(4, 5) })],
    ["float [batch,1,S] mask, shared k", problem({ batch: 2, L: 3, S: 4, E: 2, Ev: 2, mask: floatRowMask(4, 2), shareK: true })],
    ["dropout", problem({ batch: 2, L: 4, S: 6, E: 2, Ev: 3, dropout: 0.3 })],
  ];
  for (const [name, p] of cases) {
    it(`forward matches dense float64 attention: ${name}`, () => checkForward(p));
    it(`backward matches finite differences: ${name}`, () => checkBackward(p));
  }

  it("a fully masked row gives output 0, logsumexp -Infinity and zero gradients", () => {
    const mask: AttentionMaskArg<Float64Array> = { kind: "bool", data: Uint8Array.from([0, 0, 0, 1, 0, 1]), offsets: new Int32Array(1), strideL: 3, strideS: 1 };
    const p = problem({ batch: 1, L: 2, S: 3, E: 2, Ev: 2, mask });
    const { out, logsumexp } = attentionForwardReference(p);
    expect([...out.slice(0, 2)]).toEqual([0, 0]);
    expect(logsumexp[0]).toBe(-Infinity);
    const r = attentionBackwardReference({ ...p, out, logsumexp, gradOut: new Float64Array(4).fill(1), wantMaskGrad: false });
    expect([...r.dq.slice(0, 2)]).toEqual([0, 0]);
    for (const x of [...r.dq, ...r.dk, ...r.dv]) expect(Number.isFinite(x)).toBe(true);
    checkBackward(p);
  });

  it("float32 storage stays float32 and agrees with float64", () => {
    const p = problem({ batch: 1, L: 9, S: 70, E: 4, Ev: 3, causal: true });
    const p32: AttentionProblem<Float32Array> = { ...p, q: Float32Array.from(p.q), k: Float32Array.from(p.k), v: Float32Array.from(p.v), mask: null };
    const r32 = attentionForwardReference(p32);
    const r64 = attentionForwardReference(p);
    expect(r32.out).toBeInstanceOf(Float32Array);
    for (let i = 0; i < r64.out.length; i++) expect(Math.abs(r32.out[i]! - r64.out[i]!)).toBeLessThan(1e-5);
  });

  it("dropout keeps about 1 - p of the weights and is reproducible", () => {
    let kept = 0;
    for (let j = 0; j < 10000; j++) if (dropoutFactor(7, 3, j, 0.25) !== 0) kept++;
    expect(kept / 10000).toBeGreaterThan(0.73);
    expect(kept / 10000).toBeLessThan(0.77);
    expect(dropoutFactor(7, 3, 5, 0.25)).toBe(dropoutFactor(7, 3, 5, 0.25));
  });

  it("fusedKernelFor falls back to the reference kernels on the js backend", () => {
    setBackend("js");
    expect(fusedKernelFor("attentionForward")).toBe(referenceFusedKernel("attentionForward"));
    expect(fusedKernelFor("attentionBackward")).toBe(attentionBackwardReference);
  });
});
