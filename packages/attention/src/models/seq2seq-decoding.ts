import { isGradEnabled } from "@heed/autograd";
import { closeStepStorage, formatShape, indexSelect, openStepStorage, reshape, retireStorage, slice, Tensor } from "@heed/tensor-core";
import type { MaskedOutBoolMask } from "../functional/types.js";
import { cachedLength, inPlaceStorage, releaseInPlaceStorage, selectCacheRows } from "../modules/kv-cache.js";
import type { DecoderLayerCache } from "../modules/transformer-decoder-layer.js";

export interface Seq2SeqDecodeOptions {
  /** [B, S]: TRUE marks padded memory positions. */
  memoryKeyPaddingMask?: MaskedOutBoolMask | null;
  /** [B, T]: TRUE marks padded target positions (with a cache: all cached + new positions). */
  tgtKeyPaddingMask?: MaskedOutBoolMask | null;
  /** Incremental decoding: per-layer caches from `decoder.createCache()`; tgtIn then holds only the new tokens. */
  cache?: readonly DecoderLayerCache[] | null;
  /** Position of tgtIn's first token (default: the number of cached positions, else 0). */
  offset?: number;
}

/** What step-by-step decoding needs from an encoder–decoder (`Seq2SeqTransformer` has it). */
export interface Seq2SeqDecoderModel {
  encode(src: Tensor, srcKeyPaddingMask?: MaskedOutBoolMask | null): Tensor;
  decode(tgtIn: Tensor, memory: Tensor, options?: Seq2SeqDecodeOptions): Tensor;
  readonly decoder: { createCache(): DecoderLayerCache[] };
}

export interface DecodingOptions {
  /** [B, S]: TRUE marks padded source positions. */
  srcKeyPaddingMask?: MaskedOutBoolMask | null;
  /** Keep keys/values between steps (default true); false recomputes the whole prefix each step (same numbers, O(T²) work). */
  useCache?: boolean;
}

/**
 * Runs `fn` (inference, no gradients recorded) with float32 results taken from tensor-core's
 * storage pool, and hands back every one it took except the storage of `kept()` (what outlives
 * the call: its result, caches it filled) for the next call to take. Decoding makes the same
 * intermediate arrays every step (linear and layer-norm outputs, attention outputs): reused,
 * they are neither allocated, page-faulted in nor collected again. The handed-back arrays are
 * poisoned (a tensor over one throws when read), so nothing can silently read reused storage.
 * With gradients recorded, or inside another step's scope (`releaseActivations`), `fn` just runs.
 */
function reusingStorage<T>(fn: () => T, kept: (result: T) => readonly (Tensor | Float32Array)[]): T {
  const scope = isGradEnabled() ? null : openStepStorage();
  if (scope === null) return fn();
  let done = false;
  try {
    const result = fn();
    const keep = new Set<ArrayBufferLike>(kept(result).map((t) => (t instanceof Tensor ? (t.data as { buffer: ArrayBufferLike }) : t).buffer));
    for (const a of scope.takenSince(0)) if (!keep.has(a.buffer)) scope.retire(a);
    done = true;
    return result;
  } finally {
    if (!done) for (const a of scope.takenSince(0)) scope.disown(a);
    closeStepStorage(scope);
  }
}

/** The storage of decoder caches (what a step keeps besides its logits). */
function cacheStorage(cache: readonly DecoderLayerCache[] | null): (Tensor | Float32Array)[] {
  const out: (Tensor | Float32Array)[] = [];
  for (const c of cache ?? []) {
    const inPlace = inPlaceStorage(c.self);
    if (inPlace !== null) out.push(inPlace);
    for (const t of [c.cross.key, c.cross.value, ...(inPlace === null && cachedLength(c.self) > 0 ? [c.self.key, c.self.value] : [])]) if (t !== null) out.push(t);
  }
  return out;
}

/**
 * Autoregressive decoding of one batch, one token per row per step. With the cache (default) the
 * source is encoded once, the cross-attention projects the memory once, and each step runs the
 * decoder for the new position only, appending its self-attention keys/values; without it every
 * step re-decodes the whole prefix. Both give the same logits (to float rounding).
 *
 * @example
 * const run = new Seq2SeqDecoding(model, src);            // src [B, S]
 * const logits = run.step(new Int32Array(B).fill(bosId)); // [B, V] for position 0
 */
export class Seq2SeqDecoding {
  readonly #model: Seq2SeqDecoderModel;
  #memory: Tensor;
  #pad: Tensor | null;
  readonly #cache: DecoderLayerCache[] | null;
  /** Tokens fed so far, row-major [rows, length] (kept for the uncached mode). */
  #prefix: Int32Array;
  #rows: number;
  #length = 0;

  constructor(model: Seq2SeqDecoderModel, src: Tensor, options: DecodingOptions = {}) {
    this.#model = model;
    this.#pad = options.srcKeyPaddingMask ?? null;
    this.#memory = reusingStorage(() => model.encode(src, this.#pad), (memory) => [memory]);
    this.#cache = options.useCache === false ? null : model.decoder.createCache();
    this.#rows = src.shape[0]!;
    this.#prefix = new Int32Array(0);
  }

  /** Batch rows still decoded. */
  get rows(): number {
    return this.#rows;
  }

  /** Tokens fed per row so far (the next step's position). */
  get length(): number {
    return this.#length;
  }

  /** Feed one token per row (ids [rows]) → logits [rows, V] of the next token. */
  step(ids: Int32Array): Tensor {
    const B = this.#rows;
    if (ids.length !== B) throw new Error(`Seq2SeqDecoding.step: expected ${B} ids (one per row), got ${ids.length}`);
    const T = this.#length + 1;
    const prefix = new Int32Array(B * T);
    for (let b = 0; b < B; b++) {
      prefix.set(this.#prefix.subarray(b * (T - 1), (b + 1) * (T - 1)), b * T);
      prefix[b * T + T - 1] = ids[b]!;
    }
    this.#prefix = prefix;
    this.#length = T;
    const options = { memoryKeyPaddingMask: this.#pad };
    const cache = this.#cache;
    const last = (): Tensor => {
      const logits = cache === null
        ? this.#model.decode(new Tensor(prefix, [B, T], "int32"), this.#memory, options)
        : this.#model.decode(new Tensor(Int32Array.from(ids), [B, 1], "int32"), this.#memory, { ...options, cache, offset: T - 1 });
      const [, L, V] = logits.shape as [number, number, number];
      return reshape(L === 1 ? logits : slice(logits, [0, L - 1, 0], [B, L, V]), [B, V]);
    };
    return reusingStorage(last, (logits) => [logits, ...cacheStorage(cache)]);
  }

  /**
   * Hand the decoding's storage (the encoded memory, the caches) back to tensor-core's storage
   * pool for later results to reuse, when it was taken from it (decoding under `noGrad`);
   * `generate` and `decodeTokens` call it when they finish. Optional: a decoding that is simply
   * dropped is garbage-collected as any tensor is; this only lets the next decoding reuse the
   * arrays sooner. The object must not be used afterwards (reading tensors it returned is fine:
   * logits are never handed back).
   */
  dispose(): void {
    if (isGradEnabled()) return;
    const cache = this.#cache ?? [];
    for (const t of [this.#memory, ...cache.flatMap((c) => [c.cross.key, c.cross.value])]) if (t !== null) retireStorage(t.data);
    releaseInPlaceStorage(cache.map((c) => c.self));
  }

  /**
   * Keep, reorder or repeat rows: row r afterwards is row `rows[r]` before (beam search follows
   * each hypothesis' parent; greedy search drops finished rows).
   */
  selectRows(rows: Int32Array): void {
    const B = this.#rows;
    const bad = rows.find((r) => !Number.isInteger(r) || r < 0 || r >= B);
    if (bad !== undefined) throw new Error(`Seq2SeqDecoding.selectRows: row ${bad} is outside [0, ${B}) (memory: ${formatShape(this.#memory.shape)})`);
    const index = new Tensor(Int32Array.from(rows), [rows.length], "int32");
    const cache = this.#cache;
    // the memory and the cross-attention's keys/values before are dead afterwards (nothing outside holds them)
    const before = [this.#memory, ...(cache ?? []).flatMap((c) => [c.cross.key, c.cross.value])];
    this.#memory = reusingStorage(() => {
      const memory = indexSelect(this.#memory, 0, index);
      if (cache !== null) selectCacheRows(cache.flatMap((c) => [c.self, c.cross]), rows);
      return memory;
    }, (memory) => [memory, ...cacheStorage(cache)]);
    if (!isGradEnabled()) for (const t of before) if (t !== null) retireStorage(t.data);
    if (this.#pad !== null) this.#pad = indexSelect(this.#pad, 0, index);
    const T = this.#length;
    const prefix = new Int32Array(rows.length * T);
    rows.forEach((r, i) => prefix.set(this.#prefix.subarray(r * T, (r + 1) * T), i * T));
    this.#prefix = prefix;
    this.#rows = rows.length;
  }
}
