import { checkOptions, describeValue } from "@heed/tensor-core";
import { Vocabulary, type VocabularyBuildOptions, type VocabularyJSON } from "./vocab.js";

export interface EncodeOptions {
  addBos?: boolean;
  addEos?: boolean;
}

export interface TokenizerJSON {
  type: "char" | "word";
  vocab: VocabularyJSON;
}

/** Text ↔ ids through a Vocabulary; subclasses define how text is cut into tokens. */
export abstract class Tokenizer {
  abstract readonly type: "char" | "word";

  constructor(readonly vocab: Vocabulary) {}

  abstract tokenize(text: string): string[];
  abstract detokenize(tokens: readonly string[]): string;

  encode(text: string, options?: EncodeOptions): number[] {
    if (typeof text !== "string") throw new Error(`Tokenizer.encode: expected a string, got ${describeValue(text)}`);
    return this.vocab.encode(this.tokenize(text), checkOptions("Tokenizer.encode", options, { addBos: true, addEos: true }));
  }

  decode(ids: ArrayLike<number>, options?: { stopAtEos?: boolean; skipSpecial?: boolean }): string {
    const given: unknown = ids;
    if (typeof given !== "object" || given === null || typeof (given as { length?: unknown }).length !== "number") {
      throw new Error(`Tokenizer.decode: expected an array of token ids, got ${describeValue(given)}`);
    }
    return this.detokenize(this.vocab.decode(ids, checkOptions("Tokenizer.decode", options, { stopAtEos: true, skipSpecial: true })));
  }

  get size(): number {
    return this.vocab.size;
  }

  toJSON(): TokenizerJSON {
    return { type: this.type, vocab: this.vocab.toJSON() };
  }
}

/**
 * One token per Unicode code point (so CJK characters and astral symbols are single tokens).
 *
 * @example
 * const tok = CharTokenizer.fromCorpus(["attention", "heed"]);
 * tok.decode(tok.encode("heed", { addEos: true })); // "heed"
 */
export class CharTokenizer extends Tokenizer {
  /** The class name errors show (`describeValue`): set explicitly, since bundlers and minifiers rename classes. */
  static readonly typeName: string = "CharTokenizer";
  readonly type = "char" as const;

  static fromCorpus(texts: Iterable<string>, options?: VocabularyBuildOptions): CharTokenizer {
    const tokenize = (t: string): string[] => Array.from(t);
    return new CharTokenizer(Vocabulary.build(mapIter(corpus("CharTokenizer.fromCorpus", texts), tokenize), options));
  }

  static fromJSON(json: TokenizerJSON): CharTokenizer {
    if (json.type !== "char") throw new Error(`CharTokenizer.fromJSON: expected type 'char', got '${json.type}'`);
    return new CharTokenizer(Vocabulary.fromJSON(json.vocab));
  }

  tokenize(text: string): string[] {
    return Array.from(text);
  }

  detokenize(tokens: readonly string[]): string {
    return tokens.join("");
  }
}

/**
 * Whitespace-separated words (also right for ARPAbet phoneme strings such as "AH0 T EH1 N").
 *
 * @example
 * const tok = WordTokenizer.fromCorpus(["AH0 T EH1 N SH AH0 N"]);
 * tok.encode("T EH1 N"); // ids of T, EH1, N
 */
export class WordTokenizer extends Tokenizer {
  /** The class name errors show (`describeValue`): set explicitly, since bundlers and minifiers rename classes. */
  static readonly typeName: string = "WordTokenizer";
  readonly type = "word" as const;

  static fromCorpus(texts: Iterable<string>, options?: VocabularyBuildOptions): WordTokenizer {
    return new WordTokenizer(Vocabulary.build(mapIter(corpus("WordTokenizer.fromCorpus", texts), splitWords), options));
  }

  static fromJSON(json: TokenizerJSON): WordTokenizer {
    if (json.type !== "word") throw new Error(`WordTokenizer.fromJSON: expected type 'word', got '${json.type}'`);
    return new WordTokenizer(Vocabulary.fromJSON(json.vocab));
  }

  tokenize(text: string): string[] {
    return splitWords(text);
  }

  detokenize(tokens: readonly string[]): string {
    return tokens.join(" ");
  }
}

/** A CharTokenizer or WordTokenizer from its `toJSON()` output. */
export function tokenizerFromJSON(json: TokenizerJSON): CharTokenizer | WordTokenizer {
  if (typeof json !== "object" || json === null || typeof (json as Partial<TokenizerJSON>).vocab !== "object" || (json as Partial<TokenizerJSON>).vocab === null) {
    throw new Error(`tokenizerFromJSON: expected { type, vocab: { tokens, specials } } (from JSON.stringify(tokenizer)), got ${describeValue(json)}`);
  }
  if (json.type === "char") return CharTokenizer.fromJSON(json);
  if (json.type === "word") return WordTokenizer.fromJSON(json);
  throw new Error(`tokenizerFromJSON: unknown tokenizer type '${String((json as { type: unknown }).type)}' (expected 'char' or 'word')`);
}

/** A corpus is an iterable of strings, not one string (which would iterate its characters); each text must be a string. */
function* corpus(fn: string, texts: Iterable<string>): Generator<string> {
  if (typeof texts === "string" || typeof (texts as Partial<Iterable<string>> | null)?.[Symbol.iterator] !== "function") {
    throw new Error(`${fn}: expected a list of strings (the corpus), got ${describeValue(texts)}`);
  }
  let i = 0;
  for (const t of texts) {
    if (typeof t !== "string") throw new Error(`${fn}: text ${i} of the corpus is ${describeValue(t)}, expected a string`);
    yield t;
    i++;
  }
}

function splitWords(text: string): string[] {
  const t = text.trim();
  return t === "" ? [] : t.split(/\s+/);
}

function* mapIter<A, B>(items: Iterable<A>, f: (a: A) => B): Iterable<B> {
  for (const a of items) yield f(a);
}
