import { Generator, Tensor, tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { rnd } from "../../test/utils/reference.js";
import { referenceMha, refParams } from "../../test/utils/reference-mha.js";
import { MultiHeadAttention, type MultiHeadAttentionOptions } from "./multi-head-attention.js";

/** A module with random (non-zero) biases so that every parameter matters. */
function make(o: Omit<MultiHeadAttentionOptions, "rng">): MultiHeadAttention {
  const m = new MultiHeadAttention({ ...o, rng: new Generator(42) });
  const g = new Generator(7);
  for (const p of m.parameters()) if (p.shape.length === 1) p.data.forEach((_, i) => (p.data[i] = g.nextNormal() * 0.1));
  return m;
}

const B = 2, L = 3, S = 4, E = 8, H = 2;
const maskedOut = (x: number | boolean | undefined): number => (typeof x === "number" ? x : x ? -Infinity : 0);

describe("MultiHeadAttention matches a float64 torch.nn.MultiheadAttention reference", () => {
  const x = rnd([B, L, E], 1, "float32");
  const mem = rnd([B, S, E], 2, "float32");
  const attnBool = tensor([[false, true, false, false], [false, false, true, false], [true, false, false, true]]);
  const kpmBool = tensor([[false, false, false, true], [false, true, false, false]]);
  const attnFloat3 = rnd([B * H, L, S], 3, "float32");
  const cases: { name: string; o: Omit<MultiHeadAttentionOptions, "rng">; q: Tensor; k: Tensor; v: Tensor; attnMask?: Tensor; kpm?: Tensor; causal?: boolean }[] = [
    { name: "self-attention (one fused QKV matmul)", o: { embedDim: E, numHeads: H }, q: x, k: x, v: x },
    { name: "cross-attention, key === value, L != S", o: { embedDim: E, numHeads: H }, q: x, k: mem, v: mem },
    { name: "distinct q, k, v", o: { embedDim: E, numHeads: 4 }, q: x, k: mem, v: rnd([B, S, E], 4, "float32") },
    { name: "kdim and vdim", o: { embedDim: E, numHeads: H, kdim: 5, vdim: 3 }, q: x, k: rnd([B, S, 5], 5, "float32"), v: rnd([B, S, 3], 6, "float32") },
    { name: "bool attnMask [L,S] + bool keyPaddingMask", o: { embedDim: E, numHeads: H }, q: x, k: mem, v: mem, attnMask: attnBool, kpm: kpmBool },
    { name: "float attnMask [B·H,L,S] + bool keyPaddingMask", o: { embedDim: E, numHeads: H }, q: x, k: mem, v: mem, attnMask: attnFloat3, kpm: kpmBool },
    { name: "float keyPaddingMask, no bias", o: { embedDim: E, numHeads: H, bias: false }, q: x, k: mem, v: mem, kpm: rnd([B, S], 8, "float32") },
    { name: "addBiasKV + addZeroAttn with masks", o: { embedDim: E, numHeads: H, addBiasKV: true, addZeroAttn: true }, q: x, k: mem, v: mem, attnMask: attnBool, kpm: kpmBool },
    { name: "isCausal without attnMask (self-attention)", o: { embedDim: E, numHeads: H }, q: x, k: x, v: x, causal: true },
    { name: "isCausal + keyPaddingMask", o: { embedDim: E, numHeads: H }, q: x, k: x, v: x, causal: true, kpm: tensor([[false, false, true], [false, true, false]]) },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const m = make(c.o);
      const Hc = c.o.numHeads;
      const Sc = c.k.shape[1]!;
      const attn = c.attnMask?.toArray() as (number | boolean)[][] | (number | boolean)[][][] | undefined;
      const kpm = c.kpm?.toArray() as (number | boolean)[][] | undefined;
      const bias = (b: number, h: number, i: number, j: number): number => {
        if (j >= Sc) return 0; // bias_k / zero-attention columns are never masked
        let s = 0;
        if (attn !== undefined) s += maskedOut(c.attnMask!.rank === 2 ? (attn as (number | boolean)[][])[i]![j] : (attn as (number | boolean)[][][])[b * Hc + h]![i]![j]);
        if (kpm !== undefined) s += maskedOut(kpm[b]![j]);
        if (c.causal && j > i) s = -Infinity;
        return s;
      };
      const ref = referenceMha(c.q, c.k, c.v, refParams(m), Hc, bias);
      const opts = { attnMask: c.attnMask ?? null, keyPaddingMask: c.kpm ?? null, isCausal: c.causal ?? false };
      const perHead = m.forward(c.q, c.k, c.v, { ...opts, averageAttnWeights: false });
      expect(perHead.output.shape).toEqual([B, L, E]);
      expect(perHead.output.data).toBeAllclose(ref.output);
      const S2 = ref.weights.length / (B * Hc * L);
      expect(perHead.weights!.shape).toEqual([B, Hc, L, S2]);
      expect(perHead.weights!.data).toBeAllclose(ref.weights);
      const avg = m.forward(c.q, c.k, c.v, opts);
      expect(avg.weights!.shape).toEqual([B, L, S2]);
      const refAvg = new Float64Array(B * L * S2);
      ref.weights.forEach((w, idx) => {
        const b = Math.floor(idx / (Hc * L * S2));
        refAvg[b * L * S2 + (idx % (L * S2))]! += w / Hc;
      });
      expect(avg.weights!.data).toBeAllclose(refAvg);
      const noWeights = m.forward(c.q, c.k, c.v, { ...opts, needWeights: false });
      expect(noWeights.weights).toBeNull();
      expect(noWeights.output.data).toBeAllclose(ref.output);
    });
  }

  it("unbatched inputs [L, E] give [L, E] and weights [L, S]", () => {
    const m = make({ embedDim: E, numHeads: H });
    const q = rnd([L, E], 9, "float32");
    const kv = rnd([S, E], 10, "float32");
    const { output, weights } = m.forward(q, kv, kv, { keyPaddingMask: tensor([false, true, false, false]) });
    expect(output.shape).toEqual([L, E]);
    expect(weights!.shape).toEqual([L, S]);
    const ref = referenceMha(new Tensor(q.data, [1, L, E]), new Tensor(kv.data, [1, S, E]), new Tensor(kv.data, [1, S, E]), refParams(m), H, (_b, _h, _i, j) => (j === 1 ? -Infinity : 0));
    expect(output.data).toBeAllclose(ref.output);
  });

  it("a query whose keys are all padded gives out_proj.bias, with no NaN (PyTorch gives NaN)", () => {
    const m = make({ embedDim: E, numHeads: H });
    const { output, weights } = m.forward(x, mem, mem, { keyPaddingMask: tensor([[true, true, true, true], [false, false, false, false]]) });
    for (let i = 0; i < L; i++) expect(output.data.slice(i * E, (i + 1) * E)).toBeAllclose(m.outProj.bias!.data);
    expect(Array.from(weights!.data).every(Number.isFinite)).toBe(true);
    expect(Array.from(weights!.data.slice(0, L * S)).every((w) => w === 0)).toBe(true);
  });
});
