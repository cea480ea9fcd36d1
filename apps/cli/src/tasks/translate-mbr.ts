import { UsageError } from "../errors.js";
import { charNgrams, chrfFromStatistics, chrfStatistics, type CharNgrams } from "./common-chrf.js";

/**
 * Minimum Bayes-risk (MBR) decoding with sentence chrF as the utility (Kumar & Byrne 2004; Eikema &
 * Aziz 2020; Freitag et al. 2022): of a set of candidate translations, answer the one with the
 * highest expected chrF against translations drawn from the model. The model's samples stand in for
 * the reference it does not know (a Monte Carlo estimate of the expectation: each sample weighs
 * 1/N), so a candidate wins by sharing many character n-grams with what the model finds likely,
 * not by being the single most likely string.
 */
export interface MbrOptions {
  /** Ancestral (or epsilon) samples per phrase: the pseudo-references, and candidates themselves. */
  samples: number;
  /** Candidates from the nearest training phrases: the translations of the k training phrases nearest to the input. */
  neighbours: number;
  /** Epsilon sampling (Hewitt et al. 2022): tokens of probability below ε are never drawn (0 = plain ancestral sampling). */
  epsilon: number;
  /**
   * What the expectation is over (absent = "samples"): "samples", the model's samples weighed
   * equally; "pool", every distinct candidate weighed by the model's probability of it
   * renormalised over the pool; "retrieved", the samples (weight 1 each) and the neighbours'
   * translations, each weighed by exp(its length-normalised log-probability − greedy's), at most 1.
   */
  evidence?: MbrEvidence;
}

export const MBR_EVIDENCE = ["samples", "pool", "retrieved"] as const;
export type MbrEvidence = (typeof MBR_EVIDENCE)[number];

/** Width of the beam-search candidate (greedy search gives another). */
export const MBR_BEAM = 4;

/** The sizes `--decode mbr` uses when no `--mbr-*` flag is given (chosen on the validation split, see apps/cli/RECIPES.md). */
export const DEFAULT_MBR: MbrOptions = { samples: 32, neighbours: 0, epsilon: 0.02 };

/**
 * Whether `heed predict`, `heed eval` and the end of `heed train` decode translate checkpoints with
 * MBR when neither `--decode` nor `--beam` is given: yes, by the rule fixed before the runs (mean
 * validation chrF over seeds 1–3 above greedy's: 35.37 against 35.34, see apps/cli/RECIPES.md).
 */
export const MBR_BY_DEFAULT = true;

/** Reject sizes the decoder cannot use (one line naming the option and the value). */
export function checkMbrOptions(o: MbrOptions): MbrOptions {
  if (!Number.isInteger(o.samples) || o.samples < 1) throw new UsageError(`mbr: samples must be an integer >= 1, got ${o.samples}`);
  if (!Number.isInteger(o.neighbours) || o.neighbours < 0) throw new UsageError(`mbr: neighbours must be an integer >= 0, got ${o.neighbours}`);
  if (!(o.epsilon >= 0 && o.epsilon < 1)) throw new UsageError(`mbr: epsilon must be a number >= 0 and < 1, got ${o.epsilon}`);
  if (o.evidence !== undefined && !MBR_EVIDENCE.includes(o.evidence)) throw new UsageError(`mbr: evidence must be one of ${MBR_EVIDENCE.join(", ")}, got ${String(o.evidence)}`);
  return o;
}

/** What MBR chose for one phrase: the candidate's index and every candidate's expected utility. */
export interface MbrChoice {
  index: number;
  expected: number[];
}

/**
 * The candidate with the highest mean sentence chrF (candidate as hypothesis, each piece of
 * evidence as reference), over `evidence` weighted equally; ties go to the earliest candidate.
 *
 * @example
 * mbrChoose(["猫", "猫脸", "狗"], ["猫脸", "猫脸", "笑猫脸"]).index; // 1
 */
export function mbrChoose(candidates: readonly string[], evidence: readonly string[], weights?: readonly number[]): MbrChoice {
  if (candidates.length === 0) throw new Error("mbrChoose: expected at least one candidate, got 0");
  if (evidence.length === 0) throw new Error("mbrChoose: expected at least one piece of evidence (model sample), got 0");
  if (weights !== undefined && (weights.length !== evidence.length || weights.some((w) => !(w >= 0)))) {
    throw new Error(`mbrChoose: expected ${evidence.length} weights >= 0 (one per piece of evidence), got [${weights.join(", ")}]`);
  }
  const w = weights ?? evidence.map(() => 1);
  const total = w.reduce((a, b) => a + b, 0);
  if (!(total > 0)) throw new Error(`mbrChoose: expected evidence weights with a positive sum, got ${total}`);
  const refs: CharNgrams[] = evidence.map((e) => charNgrams(e));
  const expected = candidates.map((c) => {
    const hyp = charNgrams(c);
    return refs.reduce((s, r, j) => s + w[j]! * chrfFromStatistics(chrfStatistics(hyp, r)), 0) / total;
  });
  let index = 0;
  expected.forEach((u, i) => {
    if (u > expected[index]!) index = i;
  });
  return { index, expected };
}

/** One phrase's candidate sources, in the order ties are broken. */
export interface MbrCandidates {
  greedy: string;
  beam: string;
  /** The model's samples (duplicates kept: they are the Monte Carlo evidence). */
  samples: readonly string[];
  /** Translations of the nearest training phrases, nearest first. */
  neighbours: readonly string[];
}

/**
 * MBR over greedy, beam, the samples and the neighbours' translations (each distinct string once,
 * first source first), with the samples as evidence.
 */
export function mbrTranslation(c: MbrCandidates): string {
  const pool = [...new Set([c.greedy, c.beam, ...c.samples, ...c.neighbours])];
  return pool[mbrChoose(pool, c.samples).index]!;
}

/** The model's log-probability of a translation (eos included): its sum and its mean per token. */
export interface SequenceScore {
  sum: number;
  mean: number;
}

/**
 * MBR over the same pool as {@link mbrTranslation}, with the evidence `evidence` says
 * ({@link MbrOptions.evidence}); `score` gives the model's log-probability of a candidate.
 */
export function mbrWeightedTranslation(c: MbrCandidates, evidence: MbrEvidence, score: (candidate: string) => SequenceScore): string {
  const pool = [...new Set([c.greedy, c.beam, ...c.samples, ...c.neighbours])];
  if (evidence === "samples") return pool[mbrChoose(pool, c.samples).index]!;
  if (evidence === "pool") {
    const sums = pool.map((p) => score(p).sum);
    const top = Math.max(...sums);
    return pool[mbrChoose(pool, pool, sums.map((l) => Math.exp(l - top))).index]!;
  }
  const greedy = score(c.greedy).mean;
  const weights = [...c.samples.map(() => 1), ...c.neighbours.map((n) => Math.min(1, Math.exp(score(n).mean - greedy)))];
  return pool[mbrChoose(pool, [...c.samples, ...c.neighbours], weights).index]!;
}
