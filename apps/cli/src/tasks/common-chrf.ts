/**
 * chrF (Popović 2015) exactly as sacrebleu computes it with its defaults (`CHRF()`: character
 * n-grams of order 1–6, β = 2, no word n-grams, case-sensitive, whitespace removed, no epsilon
 * smoothing):
 * - every whitespace character is deleted before counting (Python's `str.split()` whitespace:
 *   `\t\n\v\f\r`, U+001C–U+001F, space, U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029,
 *   U+202F, U+205F, U+3000), and characters are Unicode code points, not UTF-16 units;
 * - per order n: hypothesis n-grams, reference n-grams and matches (clipped counts) are summed
 *   over all sentences of the corpus (the statistics, not the sentence scores, are added up);
 * - precision and recall are averaged over the orders where both the hypothesis and the
 *   reference have n-grams, and chrF = 100 · (1 + β²)·P·R / (β²·P + R) of those averages (0 when P + R = 0).
 */
export const CHRF_ORDER = 6;
export const CHRF_BETA = 2;

// U+001C–U+001F are whitespace to Python (str.split) but not to JavaScript's \s
// eslint-disable-next-line no-control-regex
const PY_WHITESPACE = /[\t\n\v\f\r\u001c-\u001f \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/gu;

/** Counts of each n-gram order 1..order of a string, whitespace removed. */
export type CharNgrams = Map<string, number>[];

export function charNgrams(text: string, order = CHRF_ORDER): CharNgrams {
  const chars = Array.from(text.replace(PY_WHITESPACE, ""));
  const out: CharNgrams = [];
  for (let n = 1; n <= order; n++) {
    const counts = new Map<string, number>();
    for (let i = 0; i + n <= chars.length; i++) {
      const g = chars.slice(i, i + n).join("");
      counts.set(g, (counts.get(g) ?? 0) + 1);
    }
    out.push(counts);
  }
  return out;
}

/** [hypothesis n-grams, reference n-grams, matches] per order, flattened: 3·order numbers. */
export function chrfStatistics(hyp: CharNgrams, ref: CharNgrams): number[] {
  const stats: number[] = [];
  hyp.forEach((h, i) => {
    const r = ref[i]!;
    let nh = 0;
    let nr = 0;
    let match = 0;
    for (const c of h.values()) nh += c;
    for (const c of r.values()) nr += c;
    for (const [g, c] of h) match += Math.min(c, r.get(g) ?? 0);
    stats.push(nh, nr, match);
  });
  return stats;
}

/** chrF (0–100) from summed statistics. */
export function chrfFromStatistics(stats: readonly number[], beta = CHRF_BETA): number {
  let precision = 0;
  let recall = 0;
  let effective = 0;
  for (let i = 0; i + 2 < stats.length; i += 3) {
    const [nh, nr, match] = [stats[i]!, stats[i + 1]!, stats[i + 2]!];
    if (nh > 0 && nr > 0) {
      precision += match / nh;
      recall += match / nr;
      effective++;
    }
  }
  if (effective === 0) return 0;
  precision /= effective;
  recall /= effective;
  if (precision + recall === 0) return 0;
  const b2 = beta * beta;
  return (100 * (1 + b2) * precision * recall) / (b2 * precision + recall);
}

/**
 * Corpus chrF of hypotheses against one reference each (sacrebleu's `corpus_score`).
 *
 * @example
 * chrf(["ab"], ["abc"]); // 63.636… (P = 1, R = (2/3 + 1/2)/2 over the orders 1 and 2)
 */
export function chrf(hyps: readonly string[], refs: readonly string[]): number {
  if (hyps.length !== refs.length) throw new Error(`chrf: expected as many references as hypotheses, got ${refs.length} references for ${hyps.length} hypotheses`);
  const total = new Array<number>(3 * CHRF_ORDER).fill(0);
  hyps.forEach((h, k) => {
    chrfStatistics(charNgrams(h), charNgrams(refs[k]!)).forEach((v, i) => (total[i]! += v));
  });
  return chrfFromStatistics(total);
}

/** Sentence chrF of one hypothesis against one reference (sacrebleu's `sentence_score`). */
export function sentenceChrf(hyp: string, ref: string): number {
  return chrfFromStatistics(chrfStatistics(charNgrams(hyp), charNgrams(ref)));
}
