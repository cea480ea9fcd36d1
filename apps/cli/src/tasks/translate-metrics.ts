import { bleu, errorRates } from "../metrics.js";
import { chrf } from "./common-chrf.js";

/** Length of the longest common subsequence of two token lists. */
export function lcsLength<T>(a: readonly T[], b: readonly T[]): number {
  const row = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    let diag = 0;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j]!;
      row[j] = a[i - 1] === b[j - 1] ? diag + 1 : Math.max(up, row[j - 1]!);
      diag = up;
    }
  }
  return row[b.length]!;
}

/**
 * Translation metrics over (hypothesis, reference) strings compared character by character:
 * `exact` share of phrases translated exactly; `charAccuracy` = Σ LCS(hyp, ref) / Σ max(|hyp|, |ref|)
 * (1 for a perfect output; extra and missing characters both count against it, and it never goes
 * below 0 the way 1 − CER does for long outputs); `cer` = character edit distance / reference
 * characters; `chrf` = sacrebleu's default chrF (0–100: character 1–6-grams, β = 2, whitespace
 * removed; see common-chrf.ts); `charBleu4` = corpus BLEU-4 over characters (not words), with the
 * brevity penalty and add-one smoothing of the 2–4-gram precisions; it reads far higher than
 * the usual word-level BLEU and is not comparable with it.
 */
export function translationMetrics(pairs: readonly { hyp: string; ref: string }[]): Record<string, number> {
  const chars = pairs.map(({ hyp, ref }) => ({ hyp: Array.from(hyp), ref: Array.from(ref) }));
  const { per: cer, wer } = errorRates(chars);
  let common = 0;
  let longest = 0;
  for (const { hyp, ref } of chars) {
    common += lcsLength(hyp, ref);
    longest += Math.max(hyp.length, ref.length);
  }
  return { exact: 1 - wer, charAccuracy: longest === 0 ? 1 : common / longest, cer, chrf: chrf(pairs.map((p) => p.hyp), pairs.map((p) => p.ref)), charBleu4: bleu(chars), phrases: pairs.length };
}
