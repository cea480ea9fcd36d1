import { padSequence } from "@heed/data";
import type { Tensor } from "@heed/tensor-core";

/** Id lists → int32 [B, L] padded with 0 at the end, and bool [B, L] with TRUE = padding. */
export function padIds(ids: readonly (readonly number[])[]): { ids: Tensor; padding: Tensor } {
  const { padded, keyPaddingMask } = padSequence(ids, { batchFirst: true, paddingValue: 0, dtype: "int32" });
  return { ids: padded, padding: keyPaddingMask };
}

/** Indices 0..n-1 sorted by `length(i)` (ties by index): batches of similar lengths waste little on padding. */
export function lengthOrder(n: number, length: (i: number) => number): number[] {
  return Array.from({ length: n }, (_, i) => i).sort((a, b) => length(a) - length(b) || a - b);
}
