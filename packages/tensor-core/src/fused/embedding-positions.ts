/**
 * A Transformer's input embedding as one fused kernel each way: a row lookup scaled by s
 * (√E), plus a fixed positional table, then dropout —
 *   out[r] = dropout(W[ids[r]]·s + P[offset + r mod L])   (rows r of [B·L, E]),
 * and its backward, the scatter-add dW[ids[r]] += dropout(g[r])·s with the padding row left
 * at zero (torch's embedding backward). The reference rounds every step to the data's
 * precision in the composition's order (lookup, ×s, +P, dropout; backward dropout, ×s,
 * scatter-add in row order), so it has the bits of `gather`, `mul`, `add`, `dropout` and
 * `scatterAdd` run one after another.
 */
import { dropoutKey, dropoutKeyedUniformBits } from "./dropout-hash.js";
import { dropoutScale } from "./dropout.js";
import { allocLike, type FloatArray } from "./float-array.js";

export interface EmbeddingPositionsArgs<A extends FloatArray = FloatArray> {
  /** [V, E] embedding table. */
  readonly weight: A;
  /** [B·L] row ids in [0, V) (the caller validates them). */
  readonly ids: Int32Array;
  readonly E: number;
  /** Positions per sequence: row r takes position offset + (r mod L). */
  readonly L: number;
  /** [≥ offset + L, E] positional table, or null for none. */
  readonly positions: A | null;
  readonly offset: number;
  /** s, applied in the data's precision. */
  readonly scale: number;
  /** Dropout probability in [0, 1) (0: none) and its 32-bit seed (the `dropout` kernel's mask). */
  readonly p: number;
  readonly seed: number;
}

export interface EmbeddingPositionsBackwardArgs<A extends FloatArray = FloatArray> {
  /** [B·L, E]. */
  readonly gradOut: A;
  readonly ids: Int32Array;
  readonly V: number;
  readonly E: number;
  readonly scale: number;
  readonly p: number;
  readonly seed: number;
  /** Row that receives no gradient, or −1. */
  readonly paddingIdx: number;
}

export type EmbeddingPositionsForwardKernel = <A extends FloatArray>(args: EmbeddingPositionsArgs<A>) => A;
/** dL/dW [V, E]. */
export type EmbeddingPositionsBackwardKernel = <A extends FloatArray>(args: EmbeddingPositionsBackwardArgs<A>) => A;

/** x rounded to the precision of `like` (float32 or float64). */
const rounder = (like: FloatArray): ((x: number) => number) => (like instanceof Float32Array ? Math.fround : (x: number) => x);

export const embeddingPositionsForwardReference: EmbeddingPositionsForwardKernel = ({ weight: W, ids, E, L, positions: P, offset, scale, p, seed }) => {
  const out = allocLike(W, ids.length * E);
  const round = rounder(W);
  const s = round(scale);
  const keep = dropoutScale(p, W);
  const threshold = p * 4294967296;
  const key = dropoutKey(seed, 0);
  for (let r = 0; r < ids.length; r++) {
    const w = ids[r]! * E;
    const pos = (offset + (r % L)) * E;
    for (let e = 0; e < E; e++) {
      const i = r * E + e;
      let v = round(W[w + e]! * s);
      if (P !== null) v = round(v + P[pos + e]!);
      out[i] = p > 0 ? v * (dropoutKeyedUniformBits(key, i) < threshold ? 0 : keep) : v;
    }
  }
  return out;
};

export const embeddingPositionsBackwardReference: EmbeddingPositionsBackwardKernel = ({ gradOut: g, ids, V, E, scale, p, seed, paddingIdx }) => {
  const dW = allocLike(g, V * E);
  const round = rounder(g);
  const s = round(scale);
  const keep = dropoutScale(p, g);
  const threshold = p * 4294967296;
  const key = dropoutKey(seed, 0);
  for (let r = 0; r < ids.length; r++) {
    const w = ids[r]! * E;
    for (let e = 0; e < E; e++) {
      const i = r * E + e;
      const d = p > 0 ? round(g[i]! * (dropoutKeyedUniformBits(key, i) < threshold ? 0 : keep)) : g[i]!;
      dW[w + e] = dW[w + e]! + round(d * s);
    }
  }
  if (paddingIdx >= 0) dW.fill(0, paddingIdx * E, (paddingIdx + 1) * E);
  return dW;
};
