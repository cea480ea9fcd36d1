const encoder = new TextEncoder();

/**
 * 32-bit FNV-1a of the UTF-8 bytes of `text` (offset basis 2166136261, prime 16777619),
 * as an unsigned integer. Used for splits that never change between versions.
 *
 * @example
 * fnv1a32("a"); // 3826002220
 */
export function fnv1a32(text: string): number {
  let h = 2166136261;
  for (const byte of encoder.encode(text)) {
    h ^= byte;
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

/** Train / validation / test parts of a data set. */
export interface Split<T> {
  train: T[];
  valid: T[];
  test: T[];
}

/**
 * Split items by the FNV-1a hash of a key: `h % 20 == 0` → test, `h % 20 == 1` → valid,
 * otherwise train (5 % / 5 % / 90 %). The split of an item depends only on its key, so it
 * is fixed forever and reproducible in any language. Order within each part is kept.
 */
export function splitByHash<T>(items: Iterable<T>, key: (item: T) => string): Split<T> {
  const out: Split<T> = { train: [], valid: [], test: [] };
  for (const item of items) {
    const r = fnv1a32(key(item)) % 20;
    (r === 0 ? out.test : r === 1 ? out.valid : out.train).push(item);
  }
  return out;
}
