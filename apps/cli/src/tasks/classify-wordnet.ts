import { fnv1a32 } from "@heed/data";
import { hypernymClosure, wordNetBaseForm, type WordNet, type WordNetPos } from "@heed/datasets";
import { loadWordNet } from "@heed/datasets/node";

/**
 * Lexical features of a word from WordNet (classify's default since the fifth round): what the word means
 * beyond its spelling, so that a word seen once or never in training ("kangaroo") still reads as
 * an animal. Hashed into their own buckets after the character n-grams' and fed through the same
 * `grams` input (so `heed predict`, `eval` and the ONNX graph compute them from the phrase alike).
 */
export interface WordNetFeatureOptions {
  /** Hash buckets of the features: ids n-gram buckets + 1 .. n-gram buckets + buckets. */
  buckets: number;
  /** The lexicographer files of the first `senses` synsets of each part of speech. */
  senses: number;
  /** Hypernyms of the first noun and verb synset, at most `depth` links up. */
  depth: number;
}

export const WORDNET_FEATURES: WordNetFeatureOptions = { buckets: 4096, senses: 3, depth: 8 };

const PARTS: readonly WordNetPos[] = ["noun", "verb", "adj", "adv"];

/**
 * The WordNet features of one (lower-case) word, each once: `lex:<lexname>` for the first
 * `senses` synsets of every part of speech the word (or its base form, `wordNetBaseForm`) has,
 * and `syn:<id>` for the ancestors of its first noun and first verb synset up to `depth` links;
 * [] for a word WordNet does not have (punctuation, most names).
 *
 * @example
 * wordNetFeatures(wn, "kangaroos", { buckets: 8, senses: 1, depth: 1 }); // ["lex:noun.animal", "syn:n01877075"] (marsupial)
 */
export function wordNetFeatures(wn: WordNet, word: string, { senses, depth }: WordNetFeatureOptions): string[] {
  const out = new Set<string>();
  for (const pos of PARTS) {
    const base = wordNetBaseForm(wn, word, pos);
    const ids = base === undefined ? [] : wn.lemmas.get(base)![pos]!;
    for (const id of ids.slice(0, senses)) out.add(`lex:${wn.synsets.get(id)?.lexname ?? "?"}`);
    if ((pos === "noun" || pos === "verb") && ids.length > 0 && depth > 0) {
      for (const h of hypernymClosure(wn, ids[0]!, depth)) out.add(`syn:${h}`);
    }
  }
  return [...out];
}

const hashed = (feature: string, { buckets }: WordNetFeatureOptions, offset: number) => offset + 1 + (fnv1a32(feature) % buckets);

/** The features' ids: FNV-1a hashed into offset + 1 .. offset + buckets (offset: the n-gram buckets). */
export function wordNetIds(wn: WordNet, word: string, options: WordNetFeatureOptions, offset: number): number[] {
  return wordNetFeatures(wn, word, options).map((f) => hashed(f, options, offset));
}

/** Each word's features, per feature options (JSON), for the life of the process: small (words seen so far). */
const cache = new Map<string, Map<string, string[]>>();

/**
 * A function from a word to its WordNet feature ids (`wordNetIds`), with the features of `known`
 * (the data set's words) computed up front. WordNet itself (~140 MB of small objects, which every
 * full garbage collection of a training run would trace) is let go once they are; a word outside
 * them (`heed predict` on a new phrase) reads it again.
 */
export function wordNetFeatureIds(options: WordNetFeatureOptions, offset: number, known: Iterable<string>): (word: string) => number[] {
  const key = JSON.stringify(options);
  let features = cache.get(key);
  if (features === undefined) cache.set(key, (features = new Map<string, string[]>()));
  let wn: WordNet | undefined;
  const featuresOf = (word: string): string[] => {
    let f = features.get(word);
    if (f === undefined) features.set(word, (f = wordNetFeatures((wn ??= loadWordNet()), word, options)));
    return f;
  };
  for (const w of known) featuresOf(w);
  wn = undefined;
  const ids = new Map<string, number[]>();
  return (word) => {
    let got = ids.get(word);
    if (got === undefined) ids.set(word, (got = featuresOf(word).map((f) => hashed(f, options, offset))));
    return got;
  };
}
