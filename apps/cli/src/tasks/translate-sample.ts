import { decodeTokens, type Seq2SeqDecoderModel } from "@heed/attention";
import { softmax, type Generator, type Tensor } from "@heed/tensor-core";

export interface SampleOptions {
  /** Start-of-sequence id fed at position 0. */
  bosId: number;
  /** End-of-sequence id: a row stops when it draws it (it is not returned). */
  eosId: number;
  /** Most tokens drawn per row, eos included. */
  maxSteps: number;
  /** [R, S]: TRUE marks padded source positions. */
  srcKeyPaddingMask?: Tensor | null;
  /** Tokens of probability below ε are never drawn, the rest renormalised (0 = ancestral sampling); the most likely token is always allowed. */
  epsilon: number;
}

/**
 * Draw `index` from `probs[from, from + V)` with the uniform `u`, over the tokens with
 * probability ≥ ε (the argmax always counts), renormalised.
 */
export function drawToken(probs: ArrayLike<number>, from: number, V: number, u: number, epsilon: number): number {
  let best = 0;
  let kept = 0;
  for (let v = 0; v < V; v++) {
    const p = probs[from + v]!;
    if (p > probs[from + best]!) best = v;
    if (p >= epsilon) kept += p;
  }
  if (kept === 0) return best;
  let target = u * kept;
  let last = best;
  for (let v = 0; v < V; v++) {
    const p = probs[from + v]!;
    if (p < epsilon || p === 0) continue;
    last = v;
    target -= p;
    if (target < 0) return v;
  }
  return last; // rounding left a sliver of mass: the last allowed token
}

/**
 * One sampled output per row of src [R, S] (ids after bos, before eos), each token drawn from the
 * model's next-token distribution. Row r draws from `rngs[r]`; rows that share a generator draw
 * from it in row order, and a row that has finished draws no more, so a phrase's samples depend on
 * its own generator only (not on the other phrases decoded with it). Call in eval mode inside `noGrad`.
 *
 * @example
 * const rng = new Generator("1:red heart");
 * sampleSeq2Seq(model, src, [rng, rng], { bosId: 1, eosId: 2, maxSteps: 64, epsilon: 0 }); // src [2, S]: two samples of one phrase
 */
export function sampleSeq2Seq(model: Seq2SeqDecoderModel, src: Tensor, rngs: readonly Generator[], o: SampleOptions): number[][] {
  const R = src.shape[0]!;
  if (rngs.length !== R) throw new Error(`sampleSeq2Seq: expected one generator per source row (${R}), got ${rngs.length}`);
  if (!(o.epsilon >= 0 && o.epsilon < 1)) throw new Error(`sampleSeq2Seq: epsilon must be in [0, 1), got ${o.epsilon}`);
  // rows draw in row order, a finished row (−1) draws nothing
  return decodeTokens(model, src, { srcKeyPaddingMask: o.srcKeyPaddingMask ?? null, bosId: o.bosId, eosId: o.eosId, maxSteps: o.maxSteps }, (scores, rows) => {
    const probs = softmax(scores, -1).data;
    const V = probs.length / rows.length;
    return Array.from(rows, (row, r) => (row < 0 ? o.eosId : drawToken(probs, r * V, V, rngs[row]!.nextFloat(), o.epsilon)));
  });
}
