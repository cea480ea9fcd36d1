/**
 * Element dropout as a fused kernel: element i of a flat tensor is dropped iff
 * `dropoutUniform(seed, 0, i) < p` (the attention weights' counter-based hash, row 0), so a
 * kernel regenerates the same mask in forward and backward from one 32-bit seed — nothing
 * of the tensor's size is stored — and every backend draws the identical mask.
 * Kept elements are multiplied by 1/(1 − p) (rounded to float32 for float32 data), dropped
 * ones by 0 (so NaN stays NaN, as in a multiplication).
 */
import { allocLike, type FloatArray } from "./float-array.js";
import { dropoutKey, dropoutKeyedUniformBits } from "./dropout-hash.js";

export interface DropoutArgs<A extends FloatArray = FloatArray> {
  readonly x: A;
  /** Probability of dropping an element, in [0, 1]; 1 drops everything. */
  readonly p: number;
  /** 32-bit seed; the same (seed, p, length) gives the same mask. */
  readonly seed: number;
}

/** x ∘ mask / (1 − p): a new array of x's type and length. */
export type DropoutKernel = <A extends FloatArray>(args: DropoutArgs<A>) => A;

/** The factor kept elements are multiplied by, in x's precision (0 when p >= 1). */
export function dropoutScale(p: number, x: FloatArray): number {
  if (p >= 1) return 0;
  return x instanceof Float32Array ? Math.fround(1 / (1 - p)) : 1 / (1 - p);
}

export const dropoutReference: DropoutKernel = ({ x, p, seed }) => {
  const out = allocLike(x, x.length);
  const scale = dropoutScale(p, x);
  const threshold = p * 4294967296;
  const key = dropoutKey(seed, 0);
  for (let i = 0; i < x.length; i++) out[i] = x[i]! * (dropoutKeyedUniformBits(key, i) < threshold ? 0 : scale);
  return out;
};
