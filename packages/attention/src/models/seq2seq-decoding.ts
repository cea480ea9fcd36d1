import { formatShape, indexSelect, reshape, slice, Tensor } from "@heed/tensor-core";
import type { MaskedOutBoolMask } from "../functional/types.js";
import { selectCacheRows } from "../modules/kv-cache.js";
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
    this.#memory = model.encode(src, this.#pad);
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
    const logits = this.#cache === null
      ? this.#model.decode(new Tensor(prefix, [B, T], "int32"), this.#memory, options)
      : this.#model.decode(new Tensor(Int32Array.from(ids), [B, 1], "int32"), this.#memory, { ...options, cache: this.#cache, offset: T - 1 });
    const [, L, V] = logits.shape as [number, number, number];
    return reshape(L === 1 ? logits : slice(logits, [0, L - 1, 0], [B, L, V]), [B, V]);
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
    this.#memory = indexSelect(this.#memory, 0, index);
    if (this.#pad !== null) this.#pad = indexSelect(this.#pad, 0, index);
    if (this.#cache !== null) selectCacheRows(this.#cache.flatMap((c) => [c.self, c.cross]), rows);
    const T = this.#length;
    const prefix = new Int32Array(rows.length * T);
    rows.forEach((r, i) => prefix.set(this.#prefix.subarray(r * T, (r + 1) * T), i * T));
    this.#prefix = prefix;
    this.#rows = rows.length;
  }
}
