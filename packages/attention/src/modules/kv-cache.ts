import { allocate, formatShape, indexSelect, retireStorage, takeFloat32, Tensor } from "@heed/tensor-core";

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
  const store = stores.get(cache);
  if (store !== undefined) return store.length;
  return cache.key === null ? 0 : cache.key.shape[1]!;
}

/**
 * In-place storage of an "append" cache for inference (`appendPositions`): keys and values side
 * by side, position-major — [capacity, B, Ek + Ev], position j of batch row b at
 * (j·B + b)·(Ek + Ev) — so a step writes its new positions after the cached ones instead of
 * concatenating the whole cache into a new array, and the positions so far are one contiguous
 * prefix (the attention kernels read it in place, `PackedColumns.positionMajor`). The capacity
 * doubles when full. While a cache has one, its `key` and `value` are [B, S, ·] copies made
 * when read; assigning either returns the cache to plain tensors.
 */
interface AppendStore {
  data: Float32Array;
  B: number;
  Ek: number;
  Ev: number;
  length: number;
}

const stores = new WeakMap<KeyValueCache, AppendStore>();

/** Store position-major [S, B, W] columns c0..c0 + w as [B, S, w]. */
function batchMajor(store: AppendStore, c0: number, w: number): Tensor {
  const { data, B, length: S } = store;
  const W = store.Ek + store.Ev;
  const out = takeFloat32(B * S * w, false);
  for (let j = 0; j < S; j++) {
    for (let b = 0; b < B; b++) out.set(data.subarray((j * B + b) * W + c0, (j * B + b) * W + c0 + w), (b * S + j) * w);
  }
  return new Tensor(out, [B, S, w], "float32");
}

/** Give the cache plain `key`/`value` tensors again (copies of the store's) and drop the store. */
function dropStore(cache: KeyValueCache): void {
  const store = stores.get(cache);
  if (store === undefined) return;
  const [key, value] = [batchMajor(store, 0, store.Ek), batchMajor(store, store.Ek, store.Ev)];
  stores.delete(cache);
  Object.defineProperty(cache, "key", { value: key, writable: true, enumerable: true, configurable: true });
  Object.defineProperty(cache, "value", { value, writable: true, enumerable: true, configurable: true });
}

function attachStore(cache: KeyValueCache, store: AppendStore): void {
  stores.set(cache, store);
  const prop = (c0: () => number, w: () => number, name: "key" | "value"): PropertyDescriptor => ({
    get: () => batchMajor(store, c0(), w()),
    set: (t: Tensor | null) => {
      dropStore(cache);
      (cache as { key: Tensor | null; value: Tensor | null })[name] = t;
    },
    enumerable: true,
    configurable: true,
  });
  Object.defineProperty(cache, "key", prop(() => 0, () => store.Ek, "key"));
  Object.defineProperty(cache, "value", prop(() => store.Ek, () => store.Ev, "value"));
}

/**
 * The in-place storage of `caches` goes back to tensor-core's storage pool (when it came from
 * it) for later results to reuse; the caches are empty afterwards. For code that owns the
 * caches and is done with them (`Seq2SeqDecoding.dispose`).
 */
export function releaseInPlaceStorage(caches: readonly KeyValueCache[]): void {
  for (const c of caches) {
    const store = stores.get(c);
    if (store === undefined) continue;
    stores.delete(c);
    retireStorage(store.data);
    Object.defineProperty(c, "key", { value: null, writable: true, enumerable: true, configurable: true });
    Object.defineProperty(c, "value", { value: null, writable: true, enumerable: true, configurable: true });
  }
}

/** The in-place storage array of a cache (null when it has none). */
export function inPlaceStorage(cache: KeyValueCache): Float32Array | null {
  return stores.get(cache)?.data ?? null;
}

/** Batch rows of a cache's in-place storage (null when it has none). */
export function inPlaceRows(cache: KeyValueCache): number | null {
  return stores.get(cache)?.B ?? null;
}

/**
 * Whether `appendPositions` can take `cache`: an "append" cache that is empty or already
 * in-place storage.
 */
export function canAppendInPlace(cache: KeyValueCache): boolean {
  return cache.mode === "append" && (stores.has(cache) || (cache.key === null && cache.value === null));
}

/**
 * Inference-only append (no gradient flows into the cache): the new positions' keys and values,
 * columns k0..k0 + Ek and k0 + Ek..k0 + Ek + Ev of float32 `kv` [B, L, ·] (e.g. a packed
 * q|k|v projection, k0 = E), written after the cached ones in place. Returns the whole cache as
 * position-major [S, B, Ek + Ev] (a view of the store, valid until the next append or
 * `selectCacheRows`), keys in columns 0..Ek and values after them. `canAppendInPlace(cache)`
 * must hold.
 */
export function appendPositions(cache: KeyValueCache, kv: Tensor, k0: number, Ek: number, Ev: number): Tensor {
  const [B, L, row] = kv.shape as [number, number, number];
  let store = stores.get(cache);
  if (store === undefined) {
    if (!canAppendInPlace(cache)) throw new Error(`appendPositions: the cache must be an empty or in-place "append" cache (mode: ${cache.mode})`);
    store = { data: takeFloat32(Math.max(16, 2 * L) * B * (Ek + Ev), false), B, Ek, Ev, length: 0 };
    attachStore(cache, store);
  }
  if (store.B !== B) {
    throw new Error(`appendPositions: the cache holds ${store.B} batch rows but the new positions have ${B} (cache key: ${formatShape([store.B, store.length, store.Ek])}, new positions: ${formatShape(kv.shape)})`);
  }
  if (store.Ek !== Ek || store.Ev !== Ev) throw new Error(`appendPositions: the cache holds keys of width ${store.Ek} and values of ${store.Ev}, got ${Ek} and ${Ev}`);
  const W = Ek + Ev;
  const S = store.length + L;
  if (S * B * W > store.data.length) {
    const grown = takeFloat32(Math.max(2 * store.data.length, S * B * W), false);
    grown.set(store.data.subarray(0, store.length * B * W));
    retireStorage(store.data);
    store.data = grown;
  }
  const src = kv.data as Float32Array;
  const { data } = store;
  for (let i = 0; i < L; i++) {
    for (let b = 0; b < B; b++) {
      const from = (b * L + i) * row + k0;
      data.set(src.subarray(from, from + W), ((store.length + i) * B + b) * W);
    }
  }
  store.length = S;
  return new Tensor(data.subarray(0, S * B * W), [S, B, W], "float32");
}

/**
 * Keep (and reorder or repeat) batch rows of every cache: row b of the result is row
 * `rows[b]` before. Beam search uses it to follow each hypothesis' parent.
 */
export function selectCacheRows(caches: readonly KeyValueCache[], rows: Int32Array): void {
  const index = new Tensor(rows, [rows.length], "int32");
  for (const c of caches) {
    const store = stores.get(c);
    if (store !== undefined) {
      selectStoreRows(store, rows);
      continue;
    }
    if (c.key === null || c.value === null) continue;
    const B = c.key.shape[0]!;
    for (const r of rows) {
      if (!Number.isInteger(r) || r < 0 || r >= B) throw new Error(`selectCacheRows: row ${r} is outside the cache's batch of ${B} (key: ${formatShape(c.key.shape)})`);
    }
    c.key = indexSelect(c.key, 0, index);
    c.value = indexSelect(c.value, 0, index);
  }
}

function selectStoreRows(store: AppendStore, rows: Int32Array): void {
  const { B, length: S } = store;
  const W = store.Ek + store.Ev;
  for (const r of rows) {
    if (!Number.isInteger(r) || r < 0 || r >= B) throw new Error(`selectCacheRows: row ${r} is outside the cache's batch of ${B} (key: ${formatShape([B, S, store.Ek])})`);
  }
  const n = rows.length;
  // rows kept in order (greedy search dropping finished ones): moved down within the storage
  // (row i of position j never lands after where it is read from); otherwise into new storage
  const increasing = rows.every((r, i) => i === 0 || r > rows[i - 1]!);
  const data = increasing ? store.data : takeFloat32(Math.max(16, 2 * S) * n * W, false);
  for (let j = 0; j < S; j++) {
    for (let i = 0; i < n; i++) {
      const from = (j * B + rows[i]!) * W;
      if (increasing) data.copyWithin((j * n + i) * W, from, from + W);
      else data.set(store.data.subarray(from, from + W), (j * n + i) * W);
    }
  }
  if (!increasing) retireStorage(store.data);
  store.data = data;
  store.B = n;
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
