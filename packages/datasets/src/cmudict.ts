/**
 * @heed/datasets/cmudict — the CMU Pronouncing Dictionary (grapheme → phoneme pairs) with a
 * fixed split. Browser-safe: `importCmudict` loads the dictionary module only when called.
 */
import { splitByHash, type Split } from "@heed/data";
import { checkOptions, expectBoolean } from "@heed/tensor-core";

/** One CMUdict entry: a lowercase word and its ARPAbet phonemes. */
export interface Pronunciation {
  word: string;
  phonemes: string[];
}

export interface CmudictOptions {
  /** Keep the stress digits 0/1/2 on vowels (AH0, EH1). Default true. */
  stress?: boolean;
  /** Also keep alternate pronunciations (`word(2)` keys), as extra entries for the same word. Default false. */
  alternates?: boolean;
}

const ALTERNATE = /\(\d+\)$/;
const WORD = /^[a-z']+$/;

/**
 * Clean and split a CMUdict `{ word: "PH ON EMES" }` table (the `dictionary` export of
 * `cmu-pronouncing-dictionary`): drop alternates unless asked, lowercase, keep words
 * matching /^[a-z']+$/, strip trailing `# comments`, optionally strip stress digits, then
 * split by FNV-1a-32 of the word (`h % 20`: 0 → test, 1 → valid, else train). With the
 * defaults on cmu-pronouncing-dictionary@3.0.0: 112,482 / 6,191 / 6,247 words. Alternates
 * go to the same part as their word. Entries keep the dictionary's order.
 */
export function splitCmudict(dictionary: Readonly<Record<string, string>>, options?: CmudictOptions): Split<Pronunciation> {
  const { stress = true, alternates = false } = checkOptions("splitCmudict", options, { stress: true, alternates: true });
  expectBoolean("splitCmudict", "stress", stress);
  expectBoolean("splitCmudict", "alternates", alternates);
  const entries: Pronunciation[] = [];
  for (const [key, value] of Object.entries(dictionary)) {
    const isAlternate = ALTERNATE.test(key);
    if (isAlternate && !alternates) continue;
    const word = (isAlternate ? key.replace(ALTERNATE, "") : key).toLowerCase();
    if (!WORD.test(word)) continue;
    const hash = value.indexOf("#");
    const text = (hash >= 0 ? value.slice(0, hash) : value).trim();
    if (text === "") throw new Error(`splitCmudict: entry '${key}' has no phonemes (value '${value}')`);
    let phonemes = text.split(/\s+/);
    if (!stress) phonemes = phonemes.map((p) => p.replace(/[0-9]/g, ""));
    entries.push({ word, phonemes });
  }
  return splitByHash(entries, (e) => e.word);
}

/**
 * Browser-safe, asynchronous CMUdict loader: imports `cmu-pronouncing-dictionary` on demand
 * (a 4.7 MB module, so it is not loaded with @heed/datasets/cmudict) and splits it with `splitCmudict`.
 * Node code can use the synchronous `loadCmudict` from `@heed/datasets/node`.
 */
export async function importCmudict(options: CmudictOptions = {}): Promise<Split<Pronunciation>> {
  const { dictionary } = await import("cmu-pronouncing-dictionary");
  return splitCmudict(dictionary, options);
}
