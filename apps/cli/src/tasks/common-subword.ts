import { fnv1a32 } from "@heed/data";
import { Embedding, Module } from "@heed/nn";
import { add, mul, sum, Tensor, type Generator } from "@heed/tensor-core";

/** Hashed character n-grams of a word (fastText's subword units; Bojanowski et al. 2017). */
export interface SubwordOptions {
  /** Hash buckets: n-gram ids are 1..buckets (0 = padding). */
  buckets: number;
  /** Shortest and longest n-gram, counted on "<word>" (with the boundary marks). */
  minN: number;
  maxN: number;
}

export const SUBWORDS: SubwordOptions = { buckets: 4096, minN: 2, maxN: 4 };

/**
 * The n-gram ids of one word: every n-gram of "<" + word + ">" with minN ≤ n ≤ maxN, hashed with
 * FNV-1a into 1..buckets (in order, repeats kept).
 *
 * @example
 * subwordIds("cat", { buckets: 100, minN: 3, maxN: 3 }); // ids of "<ca", "cat", "at>"
 */
export function subwordIds(word: string, { buckets, minN, maxN }: SubwordOptions): number[] {
  const chars = Array.from(`<${word}>`);
  const ids: number[] = [];
  for (let n = minN; n <= maxN; n++) {
    for (let i = 0; i + n <= chars.length; i++) ids.push(1 + (fnv1a32(chars.slice(i, i + n).join("")) % buckets));
  }
  return ids;
}

/**
 * Padded n-gram ids int32 [B, L, G] (0 = padding) and 1 / (1 + n-grams per word) [B, L, 1] for
 * a batch of word lists, padded to the longest list (L) and the word with most n-grams (G).
 * `extra(word)`, if given, adds ids of the word's own after its n-grams (classify's WordNet
 * features, in buckets past the n-grams'), counted in the mean like them.
 */
export function subwordBatch(batch: readonly (readonly string[])[], options: SubwordOptions, extra?: (word: string) => number[]): { grams: Tensor; scale: Tensor } {
  const per = batch.map((ws) => ws.map((w) => (extra === undefined ? subwordIds(w, options) : [...subwordIds(w, options), ...extra(w)])));
  const L = Math.max(1, ...batch.map((ws) => ws.length));
  const G = Math.max(1, ...per.flatMap((ws) => ws.map((g) => g.length)));
  const grams = new Int32Array(batch.length * L * G);
  const scale = new Float32Array(batch.length * L).fill(1);
  per.forEach((ws, b) => ws.forEach((g, l) => {
    grams.set(g, (b * L + l) * G);
    scale[b * L + l] = 1 / (1 + g.length);
  }));
  return { grams: new Tensor(grams, [batch.length, L, G], "int32"), scale: new Tensor(scale, [batch.length, L, 1], "float32") };
}

/**
 * fastText-style token embedding: the mean of a word's own vector and its character n-gram
 * vectors, so that a word never seen in training (the `<unk>` id) still gets a vector from its
 * spelling. ids int32 [B, L], grams int32 [B, L, G], scale [B, L, 1] → [B, L, E].
 */
export class SubwordEmbedding extends Module {
  readonly words: Embedding;
  readonly grams: Embedding;

  constructor(vocabSize: number, buckets: number, dModel: number, rng: Generator) {
    super();
    this.words = this.registerModule("words", new Embedding(vocabSize, dModel, { paddingIdx: 0, rng }));
    this.grams = this.registerModule("grams", new Embedding(buckets + 1, dModel, { paddingIdx: 0, rng }));
  }

  override forward(ids: Tensor, grams: Tensor, scale: Tensor): Tensor {
    return mul(add(this.words.forward(ids), sum(this.grams.forward(grams), 2)), scale);
  }
}
