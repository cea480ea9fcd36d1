/**
 * Softmax cross-entropy over rows of C logits with an ignore index and label smoothing, as one
 * fused kernel that returns the per-row losses AND their gradient (one pass over the logits;
 * the backward is a per-row scale of the saved gradient). With p = softmax(z), ε the label
 * smoothing and q = (1 − ε)·onehot(y) + ε/C the smoothed target (Σ_c q_c = 1):
 *   ℓ = −Σ_c q_c·log p_c = −(1 − ε)·log p_y − (ε/C)·Σ_c log p_c,   dℓ/dz = p − q.
 * Rows whose target is `ignoreIndex` have ℓ = 0 and a zero gradient row. With ε = 0 the
 * smoothing sum is skipped (so a −∞ logit off the target gives a finite loss, as PyTorch's).
 * The reference accumulates in float64 (log-sum-exp with the row maximum subtracted).
 */
import { allocLike, type FloatArray } from "./float-array.js";

export interface SoftmaxCrossEntropyArgs<A extends FloatArray = FloatArray> {
  /** [rows, C] row-major logits. */
  readonly logits: A;
  readonly C: number;
  /** [rows] class indices in [0, C) or `ignoreIndex` (the caller validates the range). */
  readonly target: Int32Array;
  readonly ignoreIndex: number;
  /** ε in [0, 1]. */
  readonly labelSmoothing: number;
}

export interface SoftmaxCrossEntropyResult<A extends FloatArray = FloatArray> {
  /** [rows] per-row loss ℓ (0 for ignored rows), float64. */
  readonly loss: Float64Array;
  /** [rows, C] dℓ_row/dz = p − q (zero rows for ignored targets), in the logits' precision. */
  readonly grad: A;
  /** Rows whose target is not ignored. */
  readonly kept: number;
}

export type SoftmaxCrossEntropyKernel = <A extends FloatArray>(args: SoftmaxCrossEntropyArgs<A>) => SoftmaxCrossEntropyResult<A>;

export const softmaxCrossEntropyReference: SoftmaxCrossEntropyKernel = ({ logits: z, C, target, ignoreIndex, labelSmoothing: eps }) => {
  const R = target.length;
  const loss = new Float64Array(R);
  const grad = allocLike(z, R * C);
  const off = eps / C;
  let kept = 0;
  for (let r = 0; r < R; r++) {
    const y = target[r]!;
    if (y === ignoreIndex) continue;
    kept++;
    const o = r * C;
    let m = -Infinity;
    for (let c = 0; c < C; c++) m = Math.max(m, z[o + c]!);
    let s = 0;
    for (let c = 0; c < C; c++) s += Math.exp(z[o + c]! - m);
    const lse = m + Math.log(s);
    let sumLogp = 0;
    if (eps > 0) for (let c = 0; c < C; c++) sumLogp += z[o + c]! - lse;
    loss[r] = -(1 - eps) * (z[o + y]! - lse) - (eps > 0 ? off * sumLogp : 0);
    for (let c = 0; c < C; c++) grad[o + c] = Math.exp(z[o + c]! - lse) - off - (c === y ? 1 - eps : 0);
  }
  return { loss, grad, kept };
};
