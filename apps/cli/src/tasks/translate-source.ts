import { WordTokenizer } from "@heed/data";
import { words } from "./common-seq.js";

/**
 * How translate reads a source phrase. `words`: lower-cased words and punctuation marks, a word
 * not seen in training → `<unk>` (checkpoints written before `spelled`). `spelled`: words seen at
 * least SPELL_MIN_COUNT times in training are tokens of their own; every other word is spelled
 * out letter by letter (`#a #r #m …` then `</w>`), so a word never seen in training (a country
 * name) is still read, through the letters the model learnt from the rare training words.
 */
export type SourceUnits = "words" | "spelled";

/** A training word seen fewer times than this is spelled out. */
export const SPELL_MIN_COUNT = 2;
/** The end of a spelled word (never a word itself: `words` splits "<" off). */
export const END_OF_WORD = "</w>";
/** Longest source (in tokens) the model reads; the rest is cut off. */
export const MAX_SOURCE_TOKENS = 64;

/** A letter of a spelled word ("#a"; never a word: `words` splits "#" off). */
const letter = (c: string): string => `#${c}`;

function spell(word: string): string[] {
  return [...Array.from(word, letter), END_OF_WORD];
}

/** The source tokens of a phrase: its words, with every word that is not a vocabulary token spelled out (units `spelled`). */
export function sourcePieces(text: string, units: SourceUnits, isWord: (w: string) => boolean): string[] {
  const ws = words(text);
  const pieces = units === "words" ? ws : ws.flatMap((w) => (isWord(w) ? [w] : spell(w)));
  return pieces.slice(0, MAX_SOURCE_TOKENS);
}

/**
 * The source tokenizer of a new model, built from the training phrases: `words` keeps every
 * word; `spelled` keeps the words seen at least SPELL_MIN_COUNT times and the letters of the
 * others. `extraTokens` (target-language tokens such as `<2zh-hant>`) are added as they are.
 */
export function sourceTokenizer(phrases: readonly string[], units: SourceUnits, extraTokens: readonly string[] = []): WordTokenizer {
  if (units === "words") return WordTokenizer.fromCorpus([...phrases.map((p) => words(p).join(" ")), ...extraTokens]);
  const counts = new Map<string, number>();
  for (const p of phrases) for (const w of words(p)) counts.set(w, (counts.get(w) ?? 0) + 1);
  const frequent = (w: string): boolean => (counts.get(w) ?? 0) >= SPELL_MIN_COUNT;
  return WordTokenizer.fromCorpus([...phrases.map((p) => sourcePieces(p, units, frequent).join(" ")), ...extraTokens]);
}

/** Source ids of a phrase (no bos / eos); a token outside the vocabulary (a word, or a letter never seen) → `<unk>`. */
export function sourceIds(tokenizer: WordTokenizer, units: SourceUnits, text: string): number[] {
  return tokenizer.vocab.encode(sourcePieces(text, units, (w) => tokenizer.vocab.has(w)));
}

/** The source tokens of a phrase as the model reads them (cross-attention columns); unknown ones end in '?'. */
export function sourceTokens(tokenizer: WordTokenizer, units: SourceUnits, text: string): string[] {
  const tokens = sourcePieces(text, units, (w) => tokenizer.vocab.has(w));
  return tokens.map((t) => (tokenizer.vocab.has(t) ? t : `${t}?`));
}
