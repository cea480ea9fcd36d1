/**
 * Float64 references for the tests, written the obvious way with nested loops over plain
 * numbers (no tensor-core ops), so they share no code with what they check.
 */
import { Generator, randn, Tensor, type DType } from "@heed/tensor-core";

/** Bias (b, i, j) → number added to score (b, i, j); −Infinity hides the key. */
export type BiasFn = (b: number, i: number, j: number) => number;

/**
 * Dense attention over `batch` problems with contiguous q [batch, L, E], k [batch, S, E],
 * v [batch, S, Ev]: out [batch, L, Ev] and weights [batch, L, S]. A fully masked row gives 0.
 */
export function referenceAttention(
  q: ArrayLike<number>, k: ArrayLike<number>, v: ArrayLike<number>,
  dims: { batch: number; L: number; S: number; E: number; Ev: number },
  scale: number, bias: BiasFn = () => 0,
): { out: Float64Array; weights: Float64Array } {
  const { batch, L, S, E, Ev } = dims;
  const out = new Float64Array(batch * L * Ev);
  const weights = new Float64Array(batch * L * S);
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < L; i++) {
      const s: number[] = [];
      for (let j = 0; j < S; j++) {
        let dot = 0;
        for (let e = 0; e < E; e++) dot += q[(b * L + i) * E + e]! * k[(b * S + j) * E + e]!;
        s.push(dot * scale + bias(b, i, j));
      }
      const mx = Math.max(...s);
      const ex = s.map((x) => (mx === -Infinity ? 0 : Math.exp(x - mx)));
      const total = ex.reduce((a, x) => a + x, 0);
      for (let j = 0; j < S; j++) {
        const w = total > 0 ? ex[j]! / total : 0;
        weights[(b * L + i) * S + j] = w;
        for (let e = 0; e < Ev; e++) out[(b * L + i) * Ev + e]! += w * v[(b * S + j) * Ev + e]!;
      }
    }
  }
  return { out, weights };
}

/** A seeded standard-normal tensor. */
export function rnd(shape: number[], seed: number, dtype: DType = "float64"): Tensor {
  return randn(shape, new Generator(seed), dtype);
}

/** max |a − b| over two equally long arrays (NaN counts as Infinity). */
export function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`maxDiff: lengths ${a.length} and ${b.length} differ`);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    m = Math.max(m, Number.isNaN(d) ? Infinity : d);
  }
  return m;
}

