/**
 * The typed-array contract of the fused attention kernels. A backend may supply its own
 * `attentionForward` / `attentionBackward` through `Backend.fused`; the plain TypeScript
 * kernels in this directory are the reference (and the fallback) every other
 * implementation is checked against.
 *
 * One call solves `batch` independent attention problems (the flattened, broadcast
 * leading dims of q, k and v, e.g. B·H). Problem `b` reads
 *
 *   q[qOffsets[b] + i·E + e]    i < L, e < E      (row-major [L, E] block)
 *   k[kOffsets[b] + j·E + e]    j < S             (row-major [S, E] block)
 *   v[vOffsets[b] + j·Ev + e]   j < S, e < Ev     (row-major [S, Ev] block)
 *
 * Offsets let broadcast inputs share storage: two problems with the same offset read the
 * same block (a k of shape [1, S, E] used by every head has kOffsets all 0). Outputs are
 * contiguous: out [batch, L, Ev], logsumexp [batch, L].
 *
 * An optional `layout` replaces the row-major blocks by strided rows: row i of problem b's
 * q is q[qOffsets[b] + i·qRow + (0..E)], likewise k (kRow), v (vRow), and out / gradOut
 * (outRow, outOffsets). Multi-head attention uses it to read the heads of [B, L, H·D]
 * projections in place, and to write [B, L, H·Dv], with no head permutes.
 *
 * Scores: s_ij = scale · (q_i · k_j) + bias_ij, where bias_ij is read from the mask
 * (see `AttentionMaskArg`) and is −∞ for j > i when `causal` (tril(ones(L, S)), aligned
 * top-left as in PyTorch). A row whose scores are all −∞ gives output 0 and
 * logsumexp −∞ (and zero gradients), never NaN.
 */
import type { FloatArray } from "./float-array.js";

/**
 * A mask broadcast over the [batch, L, S] scores without being materialised: entry (b, i, j)
 * lives at `data[offsets[b] + i·strideL + j·strideS]` (a stride of 0 broadcasts that axis).
 */
export interface AttentionMaskArg<A extends FloatArray = FloatArray> {
  /** "bool": 1 = take part in attention, 0 = masked out (PyTorch SDPA convention). "float": added to the scores. */
  readonly kind: "bool" | "float";
  readonly data: Uint8Array | A;
  readonly offsets: Int32Array;
  readonly strideL: number;
  readonly strideS: number;
}

/** Dropout on the attention weights, regenerated from a counter-based hash (see dropout-hash.ts). */
export interface AttentionDropoutArg {
  /** Probability of zeroing a weight, in [0, 1). Kept weights are scaled by 1 / (1 − p). */
  readonly p: number;
  /** 32-bit seed; with (b·L + i, j) it determines each keep/drop decision. */
  readonly seed: number;
}

/** Strided rows (see the module comment); `layoutOf` gives the default row-major one. */
export interface AttentionLayout {
  readonly qRow: number;
  readonly kRow: number;
  readonly vRow: number;
  /** Row stride of out and gradOut. */
  readonly outRow: number;
  /** Start of each problem's L output rows in out (and gradOut). */
  readonly outOffsets: Int32Array;
  /** Length of out (and gradOut). */
  readonly outLength: number;
}

/** What the forward and backward kernels both read. */
export interface AttentionProblem<A extends FloatArray = FloatArray> {
  readonly batch: number;
  readonly L: number;
  readonly S: number;
  readonly E: number;
  readonly Ev: number;
  readonly q: A;
  readonly k: A;
  readonly v: A;
  readonly qOffsets: Int32Array;
  readonly kOffsets: Int32Array;
  readonly vOffsets: Int32Array;
  readonly mask: AttentionMaskArg<A> | null;
  readonly scale: number;
  readonly causal: boolean;
  readonly dropout: AttentionDropoutArg | null;
  /** Strided rows; absent: row-major [L, E] / [S, E] / [S, Ev] blocks and a contiguous out. */
  readonly layout?: AttentionLayout;
}

/** The problem's layout, with the row-major default filled in. */
export function layoutOf(p: AttentionProblem): AttentionLayout {
  if (p.layout !== undefined) return p.layout;
  const { batch, L, E, Ev } = p;
  const outOffsets = new Int32Array(batch); // a plain loop: Int32Array.from with a map is ~8× slower, and this runs per kernel call
  for (let b = 0; b < batch; b++) outOffsets[b] = b * L * Ev;
  return { qRow: E, kRow: E, vRow: Ev, outRow: Ev, outOffsets, outLength: batch * L * Ev };
}

export interface AttentionForwardResult<A extends FloatArray = FloatArray> {
  /** [batch, L, Ev] contiguous, or as `layout` says. */
  readonly out: A;
  /** [batch, L]: log Σ_j exp(s_ij) per row (−∞ for a fully masked row), saved for backward. */
  readonly logsumexp: A;
}

export interface AttentionBackwardArgs<A extends FloatArray = FloatArray> extends AttentionProblem<A> {
  /** The forward's outputs. */
  readonly out: A;
  readonly logsumexp: A;
  /** dLoss/dout, laid out as out. */
  readonly gradOut: A;
  /** Also return dLoss/dmask (float masks only), accumulated at the mask's own addresses. */
  readonly wantMaskGrad: boolean;
}

export interface AttentionBackwardResult<A extends FloatArray = FloatArray> {
  /** Same length and layout as q, k, v: broadcast problems accumulate into shared blocks. */
  readonly dq: A;
  readonly dk: A;
  readonly dv: A;
  /** Same length as mask.data, or null when not requested. */
  readonly dmask: A | null;
}

/**
 * Exact attention forward: out_i = Σ_j softmax_j(s_ij) · dropout_ij · v_j, plus the row
 * logsumexp. Extra memory must not grow with L·S.
 */
export type AttentionForwardKernel = <A extends FloatArray>(args: AttentionProblem<A>) => AttentionForwardResult<A>;

/** Exact attention backward, recomputing the weights from the saved logsumexp. */
export type AttentionBackwardKernel = <A extends FloatArray>(args: AttentionBackwardArgs<A>) => AttentionBackwardResult<A>;
