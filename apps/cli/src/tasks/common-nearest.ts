import { charNgrams, chrfFromStatistics, chrfStatistics, type CharNgrams } from "./common-chrf.js";

/**
 * The nearest-training-phrase baseline: for an input phrase, the training example whose phrase
 * has the highest sentence chrF against it (sacrebleu's definition, the input as hypothesis and
 * the training phrase as reference; ties go to the earliest training example). A strong simple
 * baseline for phrase classification and translation: "answer what the most similar phrase seen
 * in training got". It reads the training split only.
 *
 * @example
 * const nn = new NearestPhrase(["red heart", "cat face"]);
 * nn.nearest("red hearts"); // 0
 */
export class NearestPhrase {
  readonly #grams: CharNgrams[];

  constructor(phrases: readonly string[]) {
    if (phrases.length === 0) throw new Error("NearestPhrase: expected at least one training phrase, got 0");
    this.#grams = phrases.map((p) => charNgrams(p));
  }

  /** Index of the nearest training phrase. */
  nearest(phrase: string): number {
    const q = charNgrams(phrase);
    let best = -1;
    let bestScore = -Infinity;
    this.#grams.forEach((g, i) => {
      const score = chrfFromStatistics(chrfStatistics(q, g));
      if (score > bestScore) {
        bestScore = score;
        best = i;
      }
    });
    return best;
  }

  /** Indices of the `k` nearest training phrases, nearest first (ties: the earliest first); `nearest` is the first. */
  nearestK(phrase: string, k: number): number[] {
    if (!Number.isInteger(k) || k < 0) throw new Error(`NearestPhrase.nearestK: k must be an integer >= 0, got ${k}`);
    if (k === 0) return []; // MBR's default asks for none: no chrF against every training phrase
    const q = charNgrams(phrase);
    const scores = this.#grams.map((g) => chrfFromStatistics(chrfStatistics(q, g)));
    return scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b).slice(0, k);
  }
}
