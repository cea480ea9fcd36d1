import { Tensor, allocate, checkOptions, describeValue, expectBoolean, formatShape, shapesEqual, type DType } from "@heed/tensor-core";

/** A sequence: a tensor [L, *] or an array of numbers (token ids) of length L. */
export type Sequence = Tensor | ArrayLike<number>;

/** A padded batch, its true lengths and the key-padding mask attention expects. */
export interface PaddedBatch {
  /** The padded values: [L, B, *] (padSequence default), or [B, L, *]. */
  padded: Tensor;
  /** Length of each sequence after truncation (number of real, non-padding positions). */
  lengths: number[];
  /** bool [B, L], TRUE = PADDING (torch.nn.MultiheadAttention's key_padding_mask convention). */
  keyPaddingMask: Tensor;
}

interface Seq {
  data: ArrayLike<number>;
  length: number;
  features: readonly number[];
}

function toSeqs(name: string, seqs: readonly Sequence[], dtype: DType | undefined): { items: Seq[]; dtype: DType } {
  const given: unknown = seqs;
  if (!Array.isArray(given)) throw new Error(`${name}: expected an array of sequences (number arrays or tensors [L_i, *]), got ${describeValue(given)}`);
  if (seqs.length === 0) throw new Error(`${name}: needs at least one sequence`);
  const items = seqs.map((s, i): Seq => {
    const item: unknown = s;
    if (!(item instanceof Tensor) && (typeof item !== "object" || item === null || typeof (item as { length?: unknown }).length !== "number")) {
      throw new Error(`${name}: sequence ${i} must be an array of numbers or a Tensor [L_i, *], got ${describeValue(item)}`);
    }
    if (s instanceof Tensor) {
      if (s.rank === 0) throw new Error(`${name}: sequences must have rank >= 1, got a tensor of shape ${formatShape(s.shape)}`);
      return { data: s.data, length: s.shape[0]!, features: s.shape.slice(1) };
    }
    return { data: s, length: s.length, features: [] };
  });
  const first = items[0]!;
  if (items.some((s) => !shapesEqual(s.features, first.features))) {
    throw new Error(`${name}: sequences must share their trailing dimensions (got ${items.map((s) => formatShape([s.length, ...s.features])).join(", ")})`);
  }
  const tensorTypes = new Set(seqs.filter((s) => s instanceof Tensor).map((s) => s.dtype));
  if (dtype === undefined && tensorTypes.size > 1) throw new Error(`${name}: tensors of different dtypes (${[...tensorTypes].join(", ")}); pass { dtype }`);
  return { items, dtype: dtype ?? [...tensorTypes][0] ?? "int32" };
}

interface Layout {
  maxLen: number;
  padLeft: boolean;
  truncateFront: boolean;
  value: number;
  batchFirst: boolean;
}

function pad(name: string, items: Seq[], dtype: DType, { maxLen, padLeft, truncateFront, value, batchFirst }: Layout): PaddedBatch {
  const B = items.length;
  const features = items[0]!.features;
  const F = features.reduce((a, b) => a * b, 1);
  if (dtype === "int32" && !Number.isInteger(value)) throw new Error(`${name}: padding value ${value} is not an integer but dtype is int32`);
  const data = allocate(dtype, B * maxLen * F);
  if (value !== 0) data.fill(value);
  const mask = allocate("bool", B * maxLen);
  const lengths: number[] = [];
  items.forEach((s, b) => {
    const len = Math.min(s.length, maxLen);
    lengths.push(len);
    const from = truncateFront ? s.length - len : 0;
    const at = padLeft ? maxLen - len : 0;
    for (let t = 0; t < maxLen; t++) if (t < at || t >= at + len) mask[b * maxLen + t] = 1;
    for (let t = 0; t < len; t++) {
      const dst = (batchFirst ? b * maxLen + at + t : (at + t) * B + b) * F;
      const src = (from + t) * F;
      for (let f = 0; f < F; f++) {
        const v = s.data[src + f]!;
        if (dtype === "int32" && !Number.isInteger(v)) throw new Error(`${name}: value ${v} of sequence ${b} at position ${from + t} is not an integer but dtype is int32`);
        data[dst + f] = v;
      }
    }
  });
  const shape = batchFirst ? [B, maxLen, ...features] : [maxLen, B, ...features];
  return { padded: new Tensor(data, shape, dtype), lengths, keyPaddingMask: new Tensor(mask, [B, maxLen], "bool") };
}

export interface PadSequenceOptions {
  /** Output [B, L, *] instead of [L, B, *]. Default false (as in PyTorch). */
  batchFirst?: boolean;
  paddingValue?: number;
  /** Pad after ('right', default) or before ('left') each sequence. */
  paddingSide?: "right" | "left";
  /** Output dtype; default: the tensors' dtype, or int32 for number arrays. */
  dtype?: DType;
}

/**
 * torch.nn.utils.rnn.pad_sequence: pad sequences [L_i, *] to the longest, giving [L, B, *]
 * (or [B, L, *] with `batchFirst`), plus lengths and a bool [B, L] mask, TRUE = PADDING.
 *
 * @example
 * const { padded, keyPaddingMask } = padSequence([[1, 2, 3], [4]], { batchFirst: true });
 * // padded [[1,2,3],[4,0,0]] (int32 [2,3]); keyPaddingMask [[F,F,F],[F,T,T]]
 */
export function padSequence(seqs: readonly Sequence[], options?: PadSequenceOptions): PaddedBatch {
  const { batchFirst = false, paddingValue = 0, paddingSide = "right", dtype } = checkOptions("padSequence", options, { batchFirst: true, paddingValue: true, paddingSide: true, dtype: true });
  expectBoolean("padSequence", "batchFirst", batchFirst);
  if (paddingSide !== "right" && paddingSide !== "left") throw new Error(`padSequence: paddingSide must be 'right' or 'left', got ${describeValue(paddingSide)}`);
  const { items, dtype: dt } = toSeqs("padSequence", seqs, dtype);
  const maxLen = longest(items);
  return pad("padSequence", items, dt, { maxLen, padLeft: paddingSide === "left", truncateFront: false, value: paddingValue, batchFirst });
}

export interface PadSequencesOptions {
  /** Output length; default the longest sequence. */
  maxLen?: number;
  /** Pad before ('pre', Keras default) or after ('post') each sequence. */
  padding?: "pre" | "post";
  /** Cut sequences longer than maxLen at the front ('pre', Keras default) or back ('post'). */
  truncating?: "pre" | "post";
  value?: number;
  /** Output dtype; default int32 for number arrays (as Keras), else the tensors' dtype. */
  dtype?: DType;
}

/**
 * keras.utils.pad_sequences: a batch-first [B, maxLen, *] tensor, padding and truncating
 * at the front by default, plus lengths and a bool [B, maxLen] mask, TRUE = PADDING.
 *
 * @example
 * padSequences([[1, 2, 3], [4]], { maxLen: 2 }).padded; // [[2, 3], [0, 4]]
 */
export function padSequences(seqs: readonly Sequence[], padOptions?: PadSequencesOptions): PaddedBatch {
  const options = checkOptions("padSequences", padOptions, { maxLen: true, padding: true, truncating: true, value: true, dtype: true });
  const { padding = "pre", truncating = "pre", value = 0, dtype } = options;
  for (const [k, v] of [["padding", padding], ["truncating", truncating]] as const) {
    if (v !== "pre" && v !== "post") throw new Error(`padSequences: ${k} must be 'pre' or 'post', got '${String(v)}'`);
  }
  const { items, dtype: dt } = toSeqs("padSequences", seqs, dtype);
  const maxLen = options.maxLen ?? longest(items);
  if (!Number.isInteger(maxLen) || maxLen < 0) throw new Error(`padSequences: maxLen must be a non-negative integer, got ${describeValue(maxLen)}`);
  return pad("padSequences", items, dt, { maxLen, padLeft: padding === "pre", truncateFront: truncating === "pre", value, batchFirst: true });
}

function longest(items: readonly Seq[]): number {
  return items.reduce((m, s) => Math.max(m, s.length), 0);
}
