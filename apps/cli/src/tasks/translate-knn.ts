import type { Seq2SeqDecodeOptions, Seq2SeqDecoderModel, Seq2SeqTransformer } from "@heed/attention";
import type { Seq2SeqBatch } from "@heed/data";
import { matmul, softmax, Tensor } from "@heed/tensor-core";
import { UsageError } from "../errors.js";

/**
 * kNN-MT (Khandelwal et al. 2021): the decoder's next-character distribution interpolated with one
 * read off the nearest neighbours of its state among the training split's decoder states.
 *
 * The datastore holds, for every character position of every training target (teacher-forced,
 * eos included), the decoder's last hidden state (before the output projection) as the key and
 * the character that follows as the value. At a decoding step the `k` keys nearest to the current
 * state (squared L2 distance d) vote for their values with weights softmax(−d / temperature), and
 * the step's distribution is (1 − λ)·p_model + λ·p_kNN.
 */
export interface KnnOptions {
  /** Neighbours read per step. */
  k: number;
  /** Weight of the neighbours' distribution (0 = the model alone). */
  lambda: number;
  /** Softmax temperature over the negated squared distances. */
  temperature: number;
}

/** The options `--decode knn` and `knn-mbr` use when no `--knn-*` flag is given (see apps/cli/RECIPES.md, translate's seventh round). */
export const DEFAULT_KNN: KnnOptions = { k: 8, lambda: 0.5, temperature: 10 };

/** Reject options the decoder cannot use (one line naming the option and the value). */
export function checkKnnOptions(o: KnnOptions): KnnOptions {
  if (!Number.isInteger(o.k) || o.k < 1) throw new UsageError(`knn: k must be an integer >= 1, got ${o.k}`);
  if (!(o.lambda >= 0 && o.lambda <= 1)) throw new UsageError(`knn: lambda must be a number in [0, 1], got ${o.lambda}`);
  if (!(o.temperature > 0 && Number.isFinite(o.temperature))) throw new UsageError(`knn: temperature must be a finite number > 0, got ${o.temperature}`);
  return o;
}

/** Keys [N, E] (decoder states) and values [N] (the next token of each). */
export class KnnDatastore {
  readonly keys: Float32Array;
  readonly values: Int32Array;
  readonly size: number;
  readonly dim: number;
  /** ‖key‖² of each key. */
  readonly #norms: Float32Array;
  readonly #keyTensor: Tensor;

  constructor(keys: Float32Array, values: Int32Array, dim: number) {
    if (keys.length !== values.length * dim) throw new Error(`KnnDatastore: expected keys of ${values.length} × ${dim} numbers (one state per value), got ${keys.length}`);
    if (values.length === 0) throw new Error("KnnDatastore: expected at least one (state, token) pair, got 0");
    this.keys = keys;
    this.values = values;
    this.size = values.length;
    this.dim = dim;
    this.#norms = new Float32Array(this.size);
    for (let n = 0; n < this.size; n++) {
      let s = 0;
      for (let e = 0; e < dim; e++) s += keys[n * dim + e]! ** 2;
      this.#norms[n] = s;
    }
    this.#keyTensor = new Tensor(keys, [this.size, dim], "float32");
  }

  /**
   * The neighbours' distribution over `vocab` tokens for each query row of `queries` [R, E]
   * (row-major, R·E numbers): out[r·V + v] = Σ of softmax(−d/T) over the k nearest keys whose value is v.
   */
  distribution(queries: Float32Array, vocab: number, o: KnnOptions): Float32Array {
    const E = this.dim;
    const R = queries.length / E;
    if (!Number.isInteger(R)) throw new Error(`KnnDatastore.distribution: expected queries of R × ${E} numbers, got ${queries.length}`);
    const dots = matmul(new Tensor(queries, [R, E], "float32"), this.#keyTensor, { transB: true }).data as Float32Array; // [R, N]
    const out = new Float32Array(R * vocab);
    const k = Math.min(o.k, this.size);
    const idx = new Int32Array(k);
    const dist = new Float64Array(k);
    for (let r = 0; r < R; r++) {
      let qn = 0;
      for (let e = 0; e < E; e++) qn += queries[r * E + e]! ** 2;
      // the k smallest distances, kept sorted ascending (insertion: k is small)
      let filled = 0;
      for (let n = 0; n < this.size; n++) {
        const d = qn - 2 * dots[r * this.size + n]! + this.#norms[n]!;
        if (filled === k && d >= dist[k - 1]!) continue;
        let j = filled < k ? filled++ : k - 1;
        while (j > 0 && dist[j - 1]! > d) {
          dist[j] = dist[j - 1]!;
          idx[j] = idx[j - 1]!;
          j--;
        }
        dist[j] = d;
        idx[j] = n;
      }
      let z = 0;
      const w = new Float64Array(k);
      for (let j = 0; j < k; j++) z += w[j] = Math.exp(-(Math.max(dist[j]!, 0) - Math.max(dist[0]!, 0)) / o.temperature);
      for (let j = 0; j < k; j++) out[r * vocab + this.values[idx[j]!]!]! += w[j]! / z;
    }
    return out;
  }
}

/**
 * The datastore of `model` over teacher-forced batches (the training split's pairs): every
 * non-padding target position's decoder state and next token. Call in eval mode inside `noGrad`.
 */
export function buildDatastore(model: Seq2SeqTransformer, batches: Iterable<Seq2SeqBatch>): KnnDatastore {
  const keys: number[] = [];
  const values: number[] = [];
  const E = model.options.dModel;
  for (const b of batches) {
    const memory = model.encode(b.src, b.srcPaddingMask);
    const h = model.decodeHidden(b.tgtIn, memory, { memoryKeyPaddingMask: b.srcPaddingMask, tgtKeyPaddingMask: b.tgtPaddingMask }).data as Float32Array; // [B, T, E]
    const out = b.tgtOut.data as Int32Array;
    for (let p = 0; p < out.length; p++) {
      if (out[p]! < 0) continue;
      values.push(out[p]!);
      for (let e = 0; e < E; e++) keys.push(h[p * E + e]!);
    }
  }
  return new KnnDatastore(Float32Array.from(keys), Int32Array.from(values), E);
}

/**
 * `model` decoding with kNN-MT: `decode` returns log((1 − λ)·softmax(logits) + λ·p_kNN) for every
 * position, so greedy search, beam search and sampling (which all read log-probabilities as
 * logits) decode with the interpolated distribution unchanged.
 */
export class KnnDecoder implements Seq2SeqDecoderModel {
  readonly #model: Seq2SeqTransformer;
  readonly #store: KnnDatastore;
  readonly #o: KnnOptions;

  constructor(model: Seq2SeqTransformer, store: KnnDatastore, options: KnnOptions) {
    if (store.dim !== model.options.dModel) throw new Error(`KnnDecoder: expected a datastore of ${model.options.dModel}-wide states (the model's dModel), got ${store.dim}`);
    this.#model = model;
    this.#store = store;
    this.#o = checkKnnOptions(options);
  }

  get decoder(): Seq2SeqDecoderModel["decoder"] {
    return this.#model.decoder;
  }

  encode(src: Tensor, srcKeyPaddingMask?: Tensor | null): Tensor {
    return this.#model.encode(src, srcKeyPaddingMask ?? null);
  }

  decode(tgtIn: Tensor, memory: Tensor, options?: Seq2SeqDecodeOptions): Tensor {
    const hidden = this.#model.decodeHidden(tgtIn, memory, options);
    const probs = softmax(this.#model.generator.forward(hidden), -1);
    const [B, T, V] = probs.shape as [number, number, number];
    const knn = this.#store.distribution(hidden.data as Float32Array, V, this.#o);
    const p = probs.data as Float32Array;
    const { lambda } = this.#o;
    const out = new Float32Array(B * T * V);
    for (let i = 0; i < out.length; i++) out[i] = Math.log((1 - lambda) * p[i]! + lambda * knn[i]! + 1e-12);
    return new Tensor(out, [B, T, V], "float32");
  }
}
