/**
 * The first half of a ReLU feed-forward block as one fused kernel pair:
 *   forward   y = dropout(relu(x·Wᵀ + b))            (x [rows, in], W [out, in], b [out])
 *   backward  dh = [y > 0]·g·s,  s = 1/(1 − p)       (the gradient at h = x·Wᵀ + b)
 * The forward applies relu and the counter-based dropout mask (fused/dropout.ts: element i is
 * dropped iff dropoutUniform(seed, 0, i) < p) to the product before it leaves the backend's
 * memory, so it makes one [rows, out] array instead of three, with the same bits as
 * `dropout(relu(linear(x, W, b)))` drawn with the same seed. The backward needs only y: y > 0
 * exactly where the mask kept the element and h > 0 (s ≥ 1, so a kept positive h stays
 * positive), which is where relu and dropout both pass the gradient. p = 0 is no dropout.
 */
import { dropoutKey, dropoutKeyedUniformBits } from "./dropout-hash.js";
import { dropoutScale } from "./dropout.js";
import { allocLike, type FloatArray } from "./float-array.js";
import { linearForwardReference, type LinearArgs } from "./linear.js";

export interface LinearReluDropoutArgs<A extends FloatArray = FloatArray> extends LinearArgs<A> {
  /** Dropout probability in [0, 1) (0: relu only). */
  readonly p: number;
  /** 32-bit dropout seed (ignored when p = 0). */
  readonly seed: number;
}

export interface ReluDropoutBackwardArgs<A extends FloatArray = FloatArray> {
  /** The forward's output y [rows, out]. */
  readonly y: A;
  /** dL/dy, same length. */
  readonly gradOut: A;
  readonly p: number;
}

/** A new [rows, out] array of x's type. */
export type LinearReluDropoutKernel = <A extends FloatArray>(args: LinearReluDropoutArgs<A>) => A;
/** dL/dh: a new array of gradOut's type. */
export type ReluDropoutBackwardKernel = <A extends FloatArray>(args: ReluDropoutBackwardArgs<A>) => A;

export const linearReluDropoutReference: LinearReluDropoutKernel = (args) => {
  const out = linearForwardReference(args);
  const { p, seed } = args;
  // relu as the reference `relu` kernel: max(v, 0) keeping NaN
  for (let i = 0; i < out.length; i++) {
    const v = out[i]!;
    out[i] = v === -Infinity ? 0 : v * +(v > 0) + 0;
  }
  if (p > 0) {
    const scale = dropoutScale(p, out);
    const threshold = p * 4294967296;
    const key = dropoutKey(seed, 0);
    for (let i = 0; i < out.length; i++) out[i] = out[i]! * (dropoutKeyedUniformBits(key, i) < threshold ? 0 : scale);
  }
  return out;
};

export const reluDropoutBackwardReference: ReluDropoutBackwardKernel = ({ y, gradOut, p }) => {
  const dh = allocLike(gradOut, gradOut.length);
  const scale = p > 0 ? dropoutScale(p, gradOut) : 1;
  for (let i = 0; i < dh.length; i++) dh[i] = y[i]! > 0 ? gradOut[i]! * scale : 0;
  return dh;
};
