import { padSequence } from "@heed/data";
import type { Tensor } from "@heed/tensor-core";
import type { BatchPart } from "../task.js";

/** Id lists → int32 [B, L] padded with 0 at the end, and bool [B, L] with TRUE = padding. */
export function padIds(ids: readonly (readonly number[])[]): { ids: Tensor; padding: Tensor } {
  const { padded, keyPaddingMask } = padSequence(ids, { batchFirst: true, paddingValue: 0, dtype: "int32" });
  return { ids: padded, padding: keyPaddingMask };
}

/** Indices 0..n-1 sorted by `length(i)` (ties by index): batches of similar lengths waste little on padding. */
export function lengthOrder(n: number, length: (i: number) => number): number[] {
  return Array.from({ length: n }, (_, i) => i).sort((a, b) => length(a) - length(b) || a - b);
}

/**
 * The id lists `ids[k]`, k in `rows`, as one [B, S] source batch padded with 0 at the end: `src`
 * (int32 ids), `pad` (1 = padding) and S, the longest list's length (at least 1).
 */
export function packRows(ids: readonly (readonly number[])[], rows: readonly number[]): { src: Int32Array; pad: Uint8Array; S: number } {
  const S = Math.max(...rows.map((k) => ids[k]!.length), 1);
  const src = new Int32Array(rows.length * S);
  const pad = new Uint8Array(rows.length * S).fill(1);
  rows.forEach((k, r) => {
    src.set(ids[k]!, r * S);
    pad.fill(0, r * S, r * S + ids[k]!.length);
  });
  return { src, pad, S };
}

/**
 * A batch of example indices cut into `parts` parts for data-parallel training: every
 * `parts`-th index (batches are length-sorted, so each part gets all lengths alike), each part
 * weighted by `terms(i)` summed over its examples — the loss terms example i adds to the mean.
 */
export function splitIndices(batch: unknown, parts: number, terms: (i: number) => number): BatchPart[] {
  const ids = batch as number[];
  return Array.from({ length: parts }, (_, r) => {
    const part = ids.filter((_, k) => k % parts === r);
    return { batch: part, weight: part.reduce((n, i) => n + terms(i), 0) };
  });
}

/** Longest text (in words) that `words` returns; the rest is cut off. */
export const MAX_WORDS = 32;

/** Scripts written without spaces between words: each character is a token of its own. */
const UNSPACED = "\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Thai}";
const WORD = new RegExp(`[${UNSPACED}]|[^\\s\\p{P}\\p{S}${UNSPACED}]+|[\\p{P}\\p{S}]`, "gu");

/**
 * Lower-cased words and punctuation marks: "flag: United States" → ["flag", ":", "united",
 * "states"]; Chinese, Japanese and Thai characters are single tokens ("红心" → ["红", "心"]).
 */
export function words(text: string): string[] {
  return text.toLowerCase().match(WORD)?.slice(0, MAX_WORDS) ?? [];
}

/** How many words and marks `text` has, before `words` cuts them to MAX_WORDS (an input longer than that is refused). */
export function wordCount(text: string): number {
  return text.match(WORD)?.length ?? 0;
}
