/**
 * Layer norm over rows of D contiguous elements as fused kernels (forward and a hand-written
 * backward, one pass each way instead of ~9 recorded ops). With x̂ = (x − μ)·r, r = 1/√(σ² + eps)
 * (biased variance):
 *   y = x̂·w + b;  dL/db = Σ_rows g,  dL/dw = Σ_rows g·x̂,  dL/dx = r·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂)), ĝ = g·w.
 * The reference accumulates in float64; a backend may accumulate in the data's precision.
 */
import { allocLike, type FloatArray } from "./float-array.js";

export interface LayerNormArgs<A extends FloatArray = FloatArray> {
  /** [rows, D] row-major. */
  readonly x: A;
  readonly D: number;
  readonly weight: A | null;
  readonly bias: A | null;
  readonly eps: number;
}

export interface LayerNormForwardResult<A extends FloatArray = FloatArray> {
  readonly out: A;
  /** Per-row mean and 1/√(σ² + eps), saved for backward. */
  readonly mean: FloatArray;
  readonly rstd: FloatArray;
}

export interface LayerNormBackwardArgs<A extends FloatArray = FloatArray> {
  readonly x: A;
  readonly D: number;
  readonly weight: A | null;
  readonly mean: FloatArray;
  readonly rstd: FloatArray;
  readonly gradOut: A;
}

export interface LayerNormBackwardResult<A extends FloatArray = FloatArray> {
  readonly dx: A;
  /** [D] each; dweight null without a weight. dbias is always returned (Σ_rows g). */
  readonly dweight: A | null;
  readonly dbias: A;
}

export type LayerNormForwardKernel = <A extends FloatArray>(args: LayerNormArgs<A>) => LayerNormForwardResult<A>;
export type LayerNormBackwardKernel = <A extends FloatArray>(args: LayerNormBackwardArgs<A>) => LayerNormBackwardResult<A>;

export const layerNormForwardReference: LayerNormForwardKernel = ({ x, D, weight: w, bias: b, eps }) => {
  const R = D === 0 ? 0 : x.length / D;
  const out = allocLike(x, x.length);
  const mean = new Float64Array(R);
  const rstd = new Float64Array(R);
  for (let r = 0; r < R; r++) {
    const o = r * D;
    let mu = 0;
    for (let j = 0; j < D; j++) mu += x[o + j]!;
    mu /= D;
    let v = 0;
    for (let j = 0; j < D; j++) {
      const c = x[o + j]! - mu;
      v += c * c;
    }
    const rs = 1 / Math.sqrt(v / D + eps);
    mean[r] = mu;
    rstd[r] = rs;
    for (let j = 0; j < D; j++) {
      const h = (x[o + j]! - mu) * rs;
      out[o + j] = h * (w === null ? 1 : w[j]!) + (b === null ? 0 : b[j]!);
    }
  }
  return { out, mean, rstd };
};

export const layerNormBackwardReference: LayerNormBackwardKernel = ({ x, D, weight: w, mean, rstd, gradOut: g }) => {
  const R = rstd.length;
  const dx = allocLike(x, g.length);
  const dw = new Float64Array(D);
  const db = new Float64Array(D);
  for (let r = 0; r < R; r++) {
    const o = r * D;
    const mu = mean[r]!;
    const rs = rstd[r]!;
    let sumG = 0;
    let sumGH = 0;
    for (let j = 0; j < D; j++) {
      const gj = g[o + j]!;
      const h = (x[o + j]! - mu) * rs;
      dw[j] = dw[j]! + gj * h;
      db[j] = db[j]! + gj;
      const gh = gj * (w === null ? 1 : w[j]!);
      sumG += gh;
      sumGH += gh * h;
    }
    const mG = sumG / D;
    const mGH = sumGH / D;
    for (let j = 0; j < D; j++) {
      const gh = g[o + j]! * (w === null ? 1 : w[j]!);
      dx[o + j] = rs * (gh - mG - (x[o + j]! - mu) * rs * mGH);
    }
  }
  const like = (a: Float64Array): typeof x => {
    const t = allocLike(x, a.length);
    t.set(a);
    return t;
  };
  return { dx, dweight: w === null ? null : like(dw), dbias: like(db) };
};
