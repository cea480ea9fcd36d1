import { Tensor, type FloatArray } from "@heed/tensor-core";
import { fusedAttention, maskArg } from "./memory-efficient.js";

/** What `headsAttention` needs besides q, k and v (AttentionSpec's fields for a [B, H] batch). */
export interface HeadsSpec {
  readonly H: number;
  readonly scale: number;
  /** bool (TRUE = takes part) or float in q's dtype, broadcastable to [B, H, L, S]. */
  readonly mask: Tensor | null;
  readonly causal: boolean;
  readonly dropoutP: number;
  readonly dropoutSeed: number;
}

/**
 * Columns `column`..`column` + `width` of a [B, N, W] tensor's rows: one of q, k, v packed side
 * by side in the output of one linear layer (e.g. [B, L, 3E] against in_proj_weight).
 */
export interface PackedColumns {
  readonly tensor: Tensor;
  readonly column: number;
  readonly width: number;
  /**
   * The tensor is position-major, [N, B, W] instead of [B, N, W] (a decoding cache that grows
   * by appending whole positions, see kv-cache.ts): row j of batch row b starts at (j·B + b)·W.
   */
  readonly positionMajor?: boolean;
}

/** A whole [B, N, H·D] tensor, or its heads' columns within a wider packed one. */
export type HeadsOperand = Tensor | PackedColumns;

const columnsOf = (x: HeadsOperand): PackedColumns => (x instanceof Tensor ? { tensor: x, column: 0, width: x.shape[2]! } : x);

/**
 * Attention of H heads on projections laid out as linear layers produce them: q [B, L, H·D],
 * k [B, S, H·D], v [B, S, H·Dv] → [B, L, H·Dv], head h in columns h·D..(h+1)·D (D the head
 * dim; the fused problem's `E`, `Ev` fields are its q/k and v row widths, here D and Dv). The fused
 * kernels read and write each head in place (strided rows), so multi-head attention needs
 * no head permutes. Same numbers as splitting the heads into [B, H, ·, ·] and calling
 * `memoryEfficientAttention` (problem b·H + h, same dropout). Any of q, k, v may instead be
 * columns of a packed tensor (`PackedColumns`), e.g. all three of one [B, L, 3·H·D] self-attention
 * projection: they are read in place and the packed tensor gets one gradient.
 */
export function headsAttention(q: HeadsOperand, k: HeadsOperand, v: HeadsOperand, spec: HeadsSpec): Tensor {
  const { H, mask } = spec;
  const [cq, ck, cv] = [columnsOf(q), columnsOf(k), columnsOf(v)];
  if (cq.positionMajor === true) throw new Error("headsAttention: q must be [B, L, ·] (positionMajor is for k and v)");
  const [B, L] = cq.tensor.shape as [number, number];
  const S = ck.tensor.shape[ck.positionMajor === true ? 0 : 1]!;
  const [D, Dv] = [cq.width / H, cv.width / H];
  /** Floats between consecutive rows of one batch row. */
  const rowStride = (c: PackedColumns): number => c.tensor.shape[2]! * (c.positionMajor === true ? c.tensor.shape[1]! : 1);
  const heads = (R: number, c: PackedColumns | null, W: number): Int32Array => {
    const row = c === null ? H * W : c.tensor.shape[2]!;
    const start = c === null ? 0 : c.column;
    const batchStride = c?.positionMajor === true ? row : R * row;
    const out = new Int32Array(B * H); // problem b·H + h starts at batch row b's first row, column start + h·W (a plain loop: this runs every decoding step)
    for (let b = 0; b < B; b++) for (let h = 0; h < H; h++) out[b * H + h] = b * batchStride + start + h * W;
    return out;
  };
  const floatMask = mask !== null && mask.dtype !== "bool" ? mask : null;
  return fusedAttention(cq.tensor, ck.tensor, cv.tensor, floatMask, [B, L, H * Dv], (qt, kt, vt, m) => ({
    batch: B * H, L, S, E: D, Ev: Dv,
    q: qt.data as FloatArray, k: kt.data as FloatArray, v: vt.data as FloatArray,
    qOffsets: heads(L, cq, D), kOffsets: heads(S, ck, D), vOffsets: heads(S, cv, Dv),
    mask: (m ?? mask) === null ? null : maskArg((m ?? mask)!, [B, H]),
    scale: spec.scale,
    causal: spec.causal,
    dropout: spec.dropoutP > 0 ? { p: spec.dropoutP, seed: spec.dropoutSeed } : null,
    layout: { qRow: cq.tensor.shape[2]!, kRow: rowStride(ck), vRow: rowStride(cv), outRow: H * Dv, outOffsets: heads(L, null, Dv), outLength: B * L * H * Dv },
  }));
}
