import { editDistance } from "./errors.js";

/**
 * Sequence metrics. PER = phoneme edit distance summed over words / reference phonemes
 * summed (corpus-level, not a mean of per-word rates); WER = share of words whose phoneme
 * sequence is not exactly right (the usual g2p definitions, e.g. Yao & Zweig 2015).
 */
export function errorRates(pairs: readonly { hyp: readonly string[]; ref: readonly string[] }[]): { per: number; wer: number } {
  let edits = 0;
  let refTokens = 0;
  let wrong = 0;
  for (const { hyp, ref } of pairs) {
    const d = editDistance(hyp, ref);
    edits += d;
    refTokens += ref.length;
    if (d !== 0) wrong++;
  }
  return { per: refTokens === 0 ? 0 : edits / refTokens, wer: pairs.length === 0 ? 0 : wrong / pairs.length };
}

/** Corpus BLEU-4 with brevity penalty (Papineni et al. 2002) over token sequences, add-one smoothed for n > 1. */
export function bleu(pairs: readonly { hyp: readonly string[]; ref: readonly string[] }[], maxN = 4): number {
  const matches = new Array<number>(maxN).fill(0);
  const totals = new Array<number>(maxN).fill(0);
  let hypLen = 0;
  let refLen = 0;
  for (const { hyp, ref } of pairs) {
    hypLen += hyp.length;
    refLen += ref.length;
    for (let n = 1; n <= maxN; n++) {
      const refCounts = new Map<string, number>();
      for (let i = 0; i + n <= ref.length; i++) {
        const g = ref.slice(i, i + n).join("\u0001");
        refCounts.set(g, (refCounts.get(g) ?? 0) + 1);
      }
      for (let i = 0; i + n <= hyp.length; i++) {
        const g = hyp.slice(i, i + n).join("\u0001");
        const c = refCounts.get(g) ?? 0;
        if (c > 0) {
          matches[n - 1]!++;
          refCounts.set(g, c - 1);
        }
      }
      totals[n - 1]! += Math.max(0, hyp.length - n + 1);
    }
  }
  if (hypLen === 0) return 0;
  let logSum = 0;
  for (let n = 0; n < maxN; n++) {
    const smooth = n === 0 ? 0 : 1;
    const p = (matches[n]! + smooth) / (totals[n]! + smooth);
    if (p === 0) return 0;
    logSum += Math.log(p) / maxN;
  }
  const bp = hypLen > refLen ? 1 : Math.exp(1 - refLen / hypLen);
  return bp * Math.exp(logSum);
}

export function meanAbsoluteError(pred: ArrayLike<number>, target: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < pred.length; i++) s += Math.abs(pred[i]! - target[i]!);
  return s / Math.max(pred.length, 1);
}

export function rootMeanSquaredError(pred: ArrayLike<number>, target: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < pred.length; i++) s += (pred[i]! - target[i]!) ** 2;
  return Math.sqrt(s / Math.max(pred.length, 1));
}
