import { checkOptions, describeValue, type Tensor } from "@heed/tensor-core";
import { padSequence } from "./padding.js";

/** A (source ids, target ids) pair, as a tuple or an object. */
export type SeqPair = readonly [ArrayLike<number>, ArrayLike<number>] | { readonly src: ArrayLike<number>; readonly tgt: ArrayLike<number> };

export interface Seq2SeqBatch {
  /** int32 [B, S] source ids, padded at the end with padId. */
  src: Tensor;
  /** bool [B, S], TRUE = PADDING. */
  srcPaddingMask: Tensor;
  /** int32 [B, T] decoder input: [bos, ...tgt], padded with padId (T = longest target + 1). */
  tgtIn: Tensor;
  /** int32 [B, T] labels: [...tgt, eos], padded with ignoreIndex. */
  tgtOut: Tensor;
  /** bool [B, T], TRUE = PADDING (same positions in tgtIn and tgtOut). */
  tgtPaddingMask: Tensor;
  srcLengths: number[];
  /** Target lengths including the added bos/eos (= real positions of tgtIn and tgtOut). */
  tgtLengths: number[];
}

export interface Seq2SeqCollateOptions {
  padId?: number;
  bosId: number;
  eosId: number;
  /** Label value at padding positions, skipped by the loss. Default -100 (torch CrossEntropyLoss). */
  ignoreIndex?: number;
}

/**
 * A collate for (source, target) id pairs with the teacher-forcing shift: the decoder reads
 * `[bos, ...tgt]` and is trained to emit `[...tgt, eos]`. Padding goes at the end; masks are
 * TRUE at padding, as attention's key_padding_mask expects.
 *
 * @example
 * const collate = seq2seqCollate({ padId: 0, bosId: 1, eosId: 2 });
 * const b = collate([[[5, 6, 7], [8]], [[5], [9, 10]]]);
 * // src [[5,6,7],[5,0,0]]  tgtIn [[1,8,0],[1,9,10]]  tgtOut [[8,2,-100],[9,10,2]]
 */
export function seq2seqCollate(options: Seq2SeqCollateOptions): (pairs: readonly SeqPair[]) => Seq2SeqBatch {
  const { padId = 0, bosId, eosId, ignoreIndex = -100 } = checkOptions("seq2seqCollate", options, { padId: true, bosId: true, eosId: true, ignoreIndex: true });
  for (const [k, v] of Object.entries({ padId, bosId, eosId, ignoreIndex })) {
    if (!Number.isInteger(v)) throw new Error(`seq2seqCollate: ${k} must be an integer, got ${describeValue(v)}`);
  }
  return (pairs) => {
    if (pairs.length === 0) throw new Error("seq2seqCollate: cannot collate an empty batch");
    const srcs: ArrayLike<number>[] = [];
    const ins: number[][] = [];
    const outs: number[][] = [];
    for (const [i, pair] of pairs.entries()) {
      const p: unknown = pair;
      const ids = (x: unknown): boolean => typeof x === "object" && x !== null && typeof (x as { length?: unknown }).length === "number";
      const ok = Array.isArray(p) ? p.length === 2 && ids(p[0]) && ids(p[1]) : typeof p === "object" && p !== null && "src" in p && "tgt" in p && ids(p.src) && ids(p.tgt);
      if (!ok) throw new Error(`seq2seqCollate: pair ${i} must be [src, tgt] or { src, tgt } (two id arrays), got ${describeValue(p)}`);
      const [s, t] = "src" in pair ? [pair.src, pair.tgt] : pair;
      srcs.push(s);
      const tgt = Array.from(t);
      ins.push([bosId, ...tgt]);
      outs.push([...tgt, eosId]);
    }
    const src = padSequence(srcs, { batchFirst: true, paddingValue: padId, dtype: "int32" });
    const tin = padSequence(ins, { batchFirst: true, paddingValue: padId, dtype: "int32" });
    const tout = padSequence(outs, { batchFirst: true, paddingValue: ignoreIndex, dtype: "int32" });
    return {
      src: src.padded,
      srcPaddingMask: src.keyPaddingMask,
      tgtIn: tin.padded,
      tgtOut: tout.padded,
      tgtPaddingMask: tin.keyPaddingMask,
      srcLengths: src.lengths,
      tgtLengths: tin.lengths,
    };
  };
}
