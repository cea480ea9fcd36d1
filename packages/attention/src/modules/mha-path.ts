import type { DType } from "@heed/tensor-core";
import { nativeFusedAttention } from "../functional/memory-efficient.js";

/**
 * The two ways `multiHeadAttentionForward` (and so `MultiHeadAttention`) computes attention:
 * - `"headsInPlace"`: the backend's native fused attention kernels read each head in place from
 *   the [B, L, H·D] projections and write [B, L, H·D] (`headsAttention`): no head permutes and
 *   no [B, H, L, S] weights. Taken when all of: the weights are not requested
 *   (`needWeights: false`), no extra key rows are appended (`biasK`/`biasV`, `addZeroAttn`), and
 *   the active backend has native fused attention for the dtype (`nativeFusedAttention`: the
 *   wasm backend, float32).
 * - `"splitHeads"`: otherwise; heads are permuted to [B, H, L, D] and go through
 *   `scaledDotProductAttention` (which picks its own implementation).
 * Both give the same output and gradients within float32 rounding (mha-heads.test.ts).
 */
export type MhaPath = "headsInPlace" | "splitHeads";

export interface MhaPathInputs {
  readonly needWeights: boolean;
  /** Key rows appended to every sequence (1 for biasK/biasV, 1 for addZeroAttn). */
  readonly extraKeys: number;
  readonly dtype: DType;
}

/** The path multi-head attention takes for these settings on the active backend (see `MhaPath`). */
export function mhaPath({ needWeights, extraKeys, dtype }: MhaPathInputs): MhaPath {
  return !needWeights && extraKeys === 0 && nativeFusedAttention(dtype) ? "headsInPlace" : "splitHeads";
}
