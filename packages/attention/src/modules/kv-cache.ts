import { allocate, formatShape, indexSelect, Tensor } from "@heed/tensor-core";

/**
 * Projected keys and values that `MultiHeadAttention.forward` keeps between calls, for
 * incremental (step-by-step) decoding. Pass the same object on every call with the `cache`
 * option; the call updates it in place.
 * - `"append"` (decoder self-attention): each call's key/value are NEW positions; their
 *   projections are appended to `key`/`value` and the query attends to all of them.
 * - `"static"` (cross-attention over an encoder's memory): key/value are projected on the first
 *   call and reused afterwards (later calls' key/value arguments are not read).
 */
export interface KeyValueCache {
  readonly mode: "append" | "static";
  /** [B, S, E] projected keys, heads side by side (null before the first call). */
  key: Tensor | null;
  /** [B, S, Ev] projected values (null before the first call). */
  value: Tensor | null;
}

/**
 * An empty cache for `MultiHeadAttention.forward(…, { cache })`.
 *
 * @example
 * const mha = new MultiHeadAttention({ embedDim: 8, numHeads: 2 });
 * const cache = createKeyValueCache("append");
 * for (const x of steps) mha.forward(x, x, x, { cache });   // x [B, 1, 8]: one new position each
 */
export function createKeyValueCache(mode: "append" | "static"): KeyValueCache {
  if (mode !== "append" && mode !== "static") throw new Error(`createKeyValueCache: mode must be 'append' or 'static', got '${String(mode)}'`);
  return { mode, key: null, value: null };
}

/** Number of cached positions (S so far; 0 when empty). */
export function cachedLength(cache: KeyValueCache): number {
  return cache.key === null ? 0 : cache.key.shape[1]!;
}

/**
 * Keep (and reorder or repeat) batch rows of every cache: row b of the result is row
 * `rows[b]` before. Beam search uses it to follow each hypothesis' parent.
 */
export function selectCacheRows(caches: readonly KeyValueCache[], rows: Int32Array): void {
  const index = new Tensor(rows, [rows.length], "int32");
  for (const c of caches) {
    if (c.key === null || c.value === null) continue;
    const B = c.key.shape[0]!;
    for (const r of rows) {
      if (!Number.isInteger(r) || r < 0 || r >= B) throw new Error(`selectCacheRows: row ${r} is outside the cache's batch of ${B} (key: ${formatShape(c.key.shape)})`);
    }
    c.key = indexSelect(c.key, 0, index);
    c.value = indexSelect(c.value, 0, index);
  }
}

/**
 * Causal mask for L new queries after P cached positions, in the modules' convention (bool
 * TRUE = masked out): query i (absolute position P + i) sees keys j ≤ P + i, [L, P + L].
 */
export function offsetCausalMask(L: number, P: number): Tensor {
  const S = P + L;
  const data = allocate("bool", L * S);
  for (let i = 0; i < L; i++) data.fill(1, i * S + P + i + 1, (i + 1) * S);
  return new Tensor(data, [L, S], "bool");
}
