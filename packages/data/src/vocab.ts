import { checkOptions, type OptionKeys } from "@heed/tensor-core";

/** The special tokens of a vocabulary; pad is always id 0, then bos, eos, unk (those present). */
export interface SpecialTokens {
  pad: string;
  bos: string | null;
  eos: string | null;
  unk: string | null;
}

export const DEFAULT_SPECIALS: SpecialTokens = { pad: "<pad>", bos: "<bos>", eos: "<eos>", unk: "<unk>" };
const SPECIAL_KEYS: OptionKeys<SpecialTokens> = { pad: true, bos: true, eos: true, unk: true };

export interface VocabularyBuildOptions {
  specials?: Partial<SpecialTokens>;
  /** Drop tokens seen fewer times (default 1). */
  minFreq?: number;
  /** Keep at most this many non-special tokens (the most frequent; ties by code-unit order). */
  maxSize?: number;
  /** Order of the non-special ids: 'sorted' (code-unit order, default) or 'frequency' (most frequent first, ties sorted). */
  order?: "sorted" | "frequency";
}

export interface VocabularyJSON {
  tokens: string[];
  specials: SpecialTokens;
}

/**
 * A bijection between tokens and ids: specials first (pad = 0, then bos, eos, unk), then
 * the other tokens in a deterministic order that does not depend on the corpus order.
 *
 * @example
 * const v = Vocabulary.build([["a", "b"], ["b", "c"]]);
 * v.encode(["b", "z"]); // [5, 3]  (z is unknown → unk = 3)
 */
export class Vocabulary {
  /** The class name errors show (`describeValue`): set explicitly, since bundlers and minifiers rename classes. */
  static readonly typeName: string = "Vocabulary";
  readonly tokens: readonly string[];
  readonly specials: SpecialTokens;
  readonly #ids = new Map<string, number>();

  /** `tokens` is the full id → token table and must start with the specials in order. */
  constructor(tokens: readonly string[], specials?: Partial<SpecialTokens>) {
    this.specials = { ...DEFAULT_SPECIALS, ...checkOptions("Vocabulary: specials", specials, SPECIAL_KEYS) };
    const expected = specialList(this.specials);
    expected.forEach((s, i) => {
      if (tokens[i] !== s) throw new Error(`Vocabulary: token ${i} must be the special '${s}' (specials ${expected.join(", ")}), got '${tokens[i]}'`);
    });
    tokens.forEach((t, i) => {
      if (this.#ids.has(t)) throw new Error(`Vocabulary: token '${t}' appears twice (ids ${this.#ids.get(t)} and ${i})`);
      this.#ids.set(t, i);
    });
    this.tokens = tokens.slice();
  }

  /** A vocabulary from tokenized texts (each an array of tokens). */
  static build(corpus: Iterable<readonly string[]>, buildOptions?: VocabularyBuildOptions): Vocabulary {
    const options = checkOptions("Vocabulary.build", buildOptions, { specials: true, minFreq: true, maxSize: true, order: true });
    const { minFreq = 1, maxSize = Infinity, order = "sorted" } = options;
    const specials = { ...DEFAULT_SPECIALS, ...checkOptions("Vocabulary.build: specials", options.specials, SPECIAL_KEYS) };
    const reserved = new Set(specialList(specials));
    const counts = new Map<string, number>();
    for (const text of corpus) for (const t of text) if (!reserved.has(t)) counts.set(t, (counts.get(t) ?? 0) + 1);
    const byCode = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
    const byFreq = (a: string, b: string): number => counts.get(b)! - counts.get(a)! || byCode(a, b);
    const kept = [...counts.keys()].filter((t) => counts.get(t)! >= minFreq);
    const chosen = kept.sort(byFreq).slice(0, maxSize);
    if (order === "sorted") chosen.sort(byCode);
    return new Vocabulary([...specialList(specials), ...chosen], specials);
  }

  static fromJSON(json: VocabularyJSON): Vocabulary {
    return new Vocabulary(json.tokens, json.specials);
  }

  toJSON(): VocabularyJSON {
    return { tokens: this.tokens.slice(), specials: { ...this.specials } };
  }

  get size(): number {
    return this.tokens.length;
  }

  get padId(): number {
    return 0;
  }

  get bosId(): number | undefined {
    return this.specials.bos === null ? undefined : this.#ids.get(this.specials.bos);
  }

  get eosId(): number | undefined {
    return this.specials.eos === null ? undefined : this.#ids.get(this.specials.eos);
  }

  get unkId(): number | undefined {
    return this.specials.unk === null ? undefined : this.#ids.get(this.specials.unk);
  }

  has(token: string): boolean {
    return this.#ids.has(token);
  }

  /** The id of `token`; unknown tokens map to unk, or throw if the vocabulary has none. */
  idOf(token: string): number {
    const id = this.#ids.get(token) ?? this.unkId;
    if (id === undefined) throw new Error(`Vocabulary.idOf: unknown token '${token}' and no unk token`);
    return id;
  }

  tokenOf(id: number): string {
    const t = this.tokens[id];
    if (t === undefined) throw new Error(`Vocabulary.tokenOf: id ${id} is out of range [0, ${this.size})`);
    return t;
  }

  isSpecial(id: number): boolean {
    return id === this.padId || id === this.bosId || id === this.eosId || id === this.unkId;
  }

  /** Ids of tokens, optionally wrapped in bos … eos. */
  encode(tokens: readonly string[], options?: { addBos?: boolean; addEos?: boolean }): number[] {
    const { addBos = false, addEos = false } = checkOptions("Vocabulary.encode", options, { addBos: true, addEos: true });
    const ids = tokens.map((t) => this.idOf(t));
    if (addBos) ids.unshift(this.#required("bos", this.bosId));
    if (addEos) ids.push(this.#required("eos", this.eosId));
    return ids;
  }

  /** Tokens of ids; by default stops at the first eos and skips pad/bos/eos (unk is kept). */
  decode(ids: ArrayLike<number>, options?: { stopAtEos?: boolean; skipSpecial?: boolean }): string[] {
    const { stopAtEos = true, skipSpecial = true } = checkOptions("Vocabulary.decode", options, { stopAtEos: true, skipSpecial: true });
    const out: string[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (stopAtEos && id === this.eosId) break;
      if (skipSpecial && this.isSpecial(id) && id !== this.unkId) continue;
      out.push(this.tokenOf(id));
    }
    return out;
  }

  #required(name: string, id: number | undefined): number {
    if (id === undefined) throw new Error(`Vocabulary.encode: add${name === "bos" ? "Bos" : "Eos"} needs a ${name} token, but this vocabulary has none`);
    return id;
  }
}

function specialList(s: SpecialTokens): string[] {
  return [s.pad, s.bos, s.eos, s.unk].filter((t): t is string => t !== null);
}
