import { add, cast, formatShape, isFloat, logicalNot, logicalOr, pad, reshape, where, type DType, type Tensor } from "@heed/tensor-core";
import { causalMask } from "../functional/masks.js";
import type { MaskedOutBoolMask } from "../functional/types.js";

export interface MhaMaskDims {
  B: number;
  H: number;
  L: number;
  S: number;
  /** Key columns appended after S (bias_k and/or the zero-attention key), never masked. */
  extra: number;
}

/** What `scaledDotProductAttention` receives: its own convention (bool TRUE = takes part), broadcastable to [B, H, L, S + extra]. */
export interface SdpaMask {
  mask: Tensor | null;
  isCausal: boolean;
}

function checkDtype(fn: string, name: string, m: Tensor): void {
  if (m.dtype !== "bool" && !isFloat(m.dtype)) {
    throw new Error(`${fn}: ${name} must be bool (TRUE = masked out) or float (added to the scores), got dtype '${m.dtype}' with shape ${formatShape(m.shape)}`);
  }
}

/**
 * Merge torch.nn.MultiheadAttention's masks — `attnMask` [L, S] or [B·H, L, S] and
 * `keyPaddingMask` [B, S], bool with **TRUE = masked out**, or float added — into one mask
 * in the functional ops' convention. Like PyTorch, two bool masks stay bool (OR-ed), and a
 * float among them turns both into additive float masks (TRUE → −∞).
 */
export function mergeMasks(
  fn: string, attnMask: MaskedOutBoolMask | null, keyPaddingMask: MaskedOutBoolMask | null, isCausal: boolean, dims: MhaMaskDims, dtype: DType,
): SdpaMask {
  const { B, H, L, S, extra } = dims;
  const masks: Tensor[] = [];
  if (attnMask !== null) {
    checkDtype(fn, "attnMask", attnMask);
    const ok2 = attnMask.rank === 2 && attnMask.shape[0] === L && attnMask.shape[1] === S;
    const ok3 = attnMask.rank === 3 && attnMask.shape[0] === B * H && attnMask.shape[1] === L && attnMask.shape[2] === S;
    if (!ok2 && !ok3) {
      throw new Error(`${fn}: attnMask has shape ${formatShape(attnMask.shape)} but must be [L, S] = [${L},${S}] or [B·H, L, S] = [${B * H},${L},${S}]`);
    }
    masks.push(ok2 ? reshape(attnMask, [1, 1, L, S]) : reshape(attnMask, [B, H, L, S]));
  } else if (isCausal) {
    // PyTorch needs attnMask with its is_causal hint; Heed builds the causal mask itself.
    if (keyPaddingMask === null && extra === 0) return { mask: null, isCausal: true };
    masks.push(reshape(logicalNot(causalMask(L, S)), [1, 1, L, S]));
  }
  if (keyPaddingMask !== null) {
    checkDtype(fn, "keyPaddingMask", keyPaddingMask);
    if (keyPaddingMask.rank !== 2 || keyPaddingMask.shape[0] !== B || keyPaddingMask.shape[1] !== S) {
      throw new Error(`${fn}: keyPaddingMask has shape ${formatShape(keyPaddingMask.shape)} but must be [B, S] = [${B},${S}]`);
    }
    masks.push(reshape(keyPaddingMask, [B, 1, 1, S]));
  }
  if (masks.length === 0) return { mask: null, isCausal: false };
  const padExtra = (m: Tensor): Tensor => (extra === 0 ? m : pad(m, [[0, extra]], 0));
  if (masks.every((m) => m.dtype === "bool")) {
    const out = masks.reduce((a, b) => logicalOr(a, b));
    return { mask: logicalNot(padExtra(out)), isCausal: false };
  }
  const additive = masks.map((m) => (m.dtype === "bool" ? cast(where(m, -Infinity, 0), dtype) : m.dtype === dtype ? m : cast(m, dtype)));
  return { mask: padExtra(additive.reduce((a, b) => add(a, b))), isCausal: false };
}
