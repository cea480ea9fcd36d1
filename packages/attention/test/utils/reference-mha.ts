/**
 * A float64 torch.nn.MultiheadAttention (batch_first) written with loops, for the tests.
 * `bias(b, h, i, j)` is the additive mask over the S' = S (+1 bias_k) (+1 zero-attn) keys.
 */
import { Tensor } from "@heed/tensor-core";
import type { MultiHeadAttention } from "../../src/modules/multi-head-attention.js";
import { referenceAttention } from "./reference.js";

export interface RefMhaParams {
  wq: Tensor; wk: Tensor; wv: Tensor;
  bq: Tensor | null; bk: Tensor | null; bv: Tensor | null;
  wo: Tensor; bo: Tensor | null;
  biasK: Tensor | null; biasV: Tensor | null;
  addZeroAttn: boolean;
}

/** x [B, N, in] · wᵀ + b → number[B][N][out]. */
function project(x: Tensor, w: Tensor, b: Tensor | null): number[][][] {
  const [B, N, I] = x.shape as [number, number, number];
  const O = w.shape[0]!;
  const out: number[][][] = [];
  for (let n = 0; n < B; n++) {
    out.push([]);
    for (let t = 0; t < N; t++) {
      const row: number[] = [];
      for (let o = 0; o < O; o++) {
        let s = b === null ? 0 : b.data[o]!;
        for (let i = 0; i < I; i++) s += x.data[(n * N + t) * I + i]! * w.data[o * I + i]!;
        row.push(s);
      }
      out[n]!.push(row);
    }
  }
  return out;
}

export function referenceMha(
  query: Tensor, key: Tensor, value: Tensor, p: RefMhaParams, H: number,
  bias: (b: number, h: number, i: number, j: number) => number,
): { output: Float64Array; weights: Float64Array } {
  const Q = project(query, p.wq, p.bq);
  const K = project(key, p.wk, p.bk);
  const V = project(value, p.wv, p.bv);
  const [B, L] = query.shape as [number, number];
  const E = p.wq.shape[0]!;
  const D = E / H;
  for (let b = 0; b < B; b++) {
    if (p.biasK !== null && p.biasV !== null) {
      K[b]!.push(Array.from(p.biasK.data));
      V[b]!.push(Array.from(p.biasV.data));
    }
    if (p.addZeroAttn) {
      K[b]!.push(new Array<number>(E).fill(0));
      V[b]!.push(new Array<number>(E).fill(0));
    }
  }
  const S2 = K[0]!.length;
  const attn = new Float64Array(B * L * E);
  const weights = new Float64Array(B * H * L * S2);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      const head = (M: number[][][]): number[] => M[b]!.flatMap((row) => row.slice(h * D, (h + 1) * D));
      const r = referenceAttention(head(Q), head(K), head(V), { batch: 1, L, S: S2, E: D, Ev: D }, 1 / Math.sqrt(D), (_x, i, j) => bias(b, h, i, j));
      weights.set(r.weights, (b * H + h) * L * S2);
      for (let i = 0; i < L; i++) for (let d = 0; d < D; d++) attn[(b * L + i) * E + h * D + d] = r.out[i * D + d]!;
    }
  }
  const output = new Float64Array(B * L * E);
  for (let x = 0; x < B * L; x++) {
    for (let o = 0; o < E; o++) {
      let s = p.bo === null ? 0 : p.bo.data[o]!;
      for (let i = 0; i < E; i++) s += attn[x * E + i]! * p.wo.data[o * E + i]!;
      output[x * E + o] = s;
    }
  }
  return { output, weights };
}

function rowsOf(t: Tensor | null, start: number, end: number, width: number): Tensor | null {
  return t === null ? null : new Tensor(t.data.slice(start * width, end * width), width === 1 ? [end - start] : [end - start, width]);
}

/** The reference parameters of a module (packed in_proj split into q, k, v). */
export function refParams(m: MultiHeadAttention): RefMhaParams {
  const E = m.embedDim;
  const w = m.inProjWeight;
  return {
    wq: w ? rowsOf(w, 0, E, E)! : m.qProjWeight!, wk: w ? rowsOf(w, E, 2 * E, E)! : m.kProjWeight!, wv: w ? rowsOf(w, 2 * E, 3 * E, E)! : m.vProjWeight!,
    bq: rowsOf(m.inProjBias, 0, E, 1), bk: rowsOf(m.inProjBias, E, 2 * E, 1), bv: rowsOf(m.inProjBias, 2 * E, 3 * E, 1),
    wo: m.outProj.weight, bo: m.outProj.bias, biasK: m.biasK, biasV: m.biasV, addZeroAttn: m.addZeroAttn,
  };
}

/** LayerNorm over the last dim of rows [N, E] (biased variance), float64. */
export function refLayerNorm(x: Float64Array, E: number, w: Tensor | null, b: Tensor | null, eps: number): Float64Array {
  const out = new Float64Array(x.length);
  for (let r = 0; r < x.length / E; r++) {
    let mean = 0;
    for (let e = 0; e < E; e++) mean += x[r * E + e]! / E;
    let v = 0;
    for (let e = 0; e < E; e++) v += (x[r * E + e]! - mean) ** 2 / E;
    for (let e = 0; e < E; e++) out[r * E + e] = ((x[r * E + e]! - mean) / Math.sqrt(v + eps)) * (w?.data[e] ?? 1) + (b?.data[e] ?? 0);
  }
  return out;
}

/** rows [N, I] · wᵀ + b with an optional activation, float64. */
export function refLinear(x: Float64Array, w: Tensor, b: Tensor | null, act: (v: number) => number = (v) => v): Float64Array {
  const [O, I] = w.shape as [number, number];
  const N = x.length / I;
  const out = new Float64Array(N * O);
  for (let n = 0; n < N; n++) {
    for (let o = 0; o < O; o++) {
      let s = b?.data[o] ?? 0;
      for (let i = 0; i < I; i++) s += x[n * I + i]! * w.data[o * I + i]!;
      out[n * O + o] = act(s);
    }
  }
  return out;
}
