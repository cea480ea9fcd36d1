import { describe, expect, it } from "vitest";
import { hypernymClosure, parseWordNetData, parseWordNetIndex, wordNetBaseForm, WORDNET_LEXNAMES, type WordNet } from "./wordnet.js";

// hand-made lines in the files' format (offsets shortened where the format allows)
const HEADER = "  1 This software and database is being provided to you, the LICENSEE, by  \n  2 Princeton University under the following license.  \n";
const INDEX_NOUN = `${HEADER}kangaroo n 1 3 @ ~ #m 1 0 00000040  \ndish n 2 2 @ ~ 2 1 00000050 00000060  \nman n 1 1 @ 1 0 00000070  \n`;
const INDEX_VERB = "dish v 1 1 @ 1 0 00000080  \n";
const DATA_NOUN = [
  HEADER.trimEnd(),
  "00000010 03 n 01 entity 0 000 | that which is perceived",
  "00000020 05 n 02 marsupial 0 pouched_mammal 0 002 @ 00000010 n 0000 ~ 00000040 n 0000 | mammals of which the females have a pouch",
  "00000040 05 n 01 Kangaroo 0 002 @ 00000020 n 0000 #m 00000099 n 0000 | any of several herbivorous leaping marsupials",
  "00000050 06 n 01 dish 0 001 @ 00000010 n 0000 | a piece of dishware",
  "00000060 13 n 01 dish 1 001 @ 00000010 n 0000 | a particular item of prepared food",
  "00000070 18 n 01 man 0 002 @i 00000020 n 0000 @ 00000010 n 0000 | an adult male",
].join("\n");
const DATA_VERB = "00000080 34 v 01 dish 0 001 @ 00000081 v 0000 01 + 08 00 | provide (usually but not necessarily food)\n";
const DATA_ADJ = "00000090 00 s 02 emergent(a) 0 emerging 0 001 & 00000091 a 0000 | coming into existence\n";

function tiny(): WordNet {
  const lemmas = parseWordNetIndex(INDEX_VERB, "verb", parseWordNetIndex(INDEX_NOUN, "noun"));
  const synsets = parseWordNetData(DATA_ADJ, "adj", parseWordNetData(DATA_VERB, "verb", parseWordNetData(DATA_NOUN, "noun")));
  return { lemmas, synsets };
}

describe("parseWordNetIndex / parseWordNetData", () => {
  it("reads lemmas' synsets in sense order per part of speech, skipping the licence header", () => {
    const wn = tiny();
    expect([...wn.lemmas.keys()]).toEqual(["kangaroo", "dish", "man"]);
    expect(wn.lemmas.get("dish")).toEqual({ noun: ["n00000050", "n00000060"], verb: ["v00000080"] });
    expect(wn.lemmas.get("kangaroo")).toEqual({ noun: ["n00000040"] });
  });

  it("reads each synset's lexicographer file, words and (instance) hypernyms, not the other pointers", () => {
    const wn = tiny();
    expect(wn.synsets.get("n00000040")).toEqual({ id: "n00000040", pos: "noun", lexname: "noun.animal", words: ["kangaroo"], hypernyms: ["n00000020"] });
    expect(wn.synsets.get("n00000020")!.words).toEqual(["marsupial", "pouched_mammal"]);
    expect(wn.synsets.get("n00000070")!.hypernyms).toEqual(["n00000020", "n00000010"]);
    expect(wn.synsets.get("n00000010")!.hypernyms).toEqual([]);
    // a verb's frames after its pointers are not pointers; a satellite adjective is an adjective, its marker dropped
    expect(wn.synsets.get("v00000080")).toMatchObject({ lexname: "verb.consumption", hypernyms: ["v00000081"] });
    expect(wn.synsets.get("a00000090")).toMatchObject({ pos: "adj", lexname: "adj.all", words: ["emergent", "emerging"] });
    expect(WORDNET_LEXNAMES).toHaveLength(45);
    expect(WORDNET_LEXNAMES[44]).toBe("adj.ppl");
  });

  it("names the function, the format expected and the line on a malformed line", () => {
    expect(() => parseWordNetIndex("kangaroo n 2 0 1 0 00000040\n", "noun")).toThrow(
      "parseWordNetIndex: expected 'lemma pos synset_cnt p_cnt [ptr…] sense_cnt tagsense_cnt offset…' with synset_cnt offsets (index.noun), got the line 'kangaroo n 2 0 1 0 00000040'",
    );
    expect(() => parseWordNetData("00000040 05 n 01 kangaroo 0 002 @ 00000020 n 0000 | cut short\n", "noun")).toThrow(/^parseWordNetData: expected .* \(data\.noun\), got the line '00000040 05 n 01 kangaroo 0 002 @ 00000020 n 0000 \| cut shor…'$/); // long lines cut at 60
    expect(() => parseWordNetData("00000040 99 n 01 kangaroo 0 000 | no such lexicographer file\n", "noun")).toThrow(/^parseWordNetData: /);
    expect(() => parseWordNetData("00000040 05 v 01 kangaroo 0 000 | a verb line in data.noun\n", "noun")).toThrow(/^parseWordNetData: /);
  });
});

describe("wordNetBaseForm", () => {
  it("is the word if it is a lemma, else its first detachment that is one, else undefined", () => {
    const wn = tiny();
    expect(wordNetBaseForm(wn, "Kangaroo", "noun")).toBe("kangaroo");
    expect(wordNetBaseForm(wn, "kangaroos", "noun")).toBe("kangaroo");
    expect(wordNetBaseForm(wn, "dishes", "noun")).toBe("dish"); // -es → "dishe" is no lemma; -shes → -sh is
    expect(wordNetBaseForm(wn, "men", "noun")).toBe("man");
    expect(wordNetBaseForm(wn, "dished", "verb")).toBe("dish");
    expect(wordNetBaseForm(wn, "kangaroos", "verb")).toBeUndefined(); // a noun only
    expect(wordNetBaseForm(wn, "s", "noun")).toBeUndefined(); // the suffix alone is no word
    expect(wordNetBaseForm(wn, "wombat", "noun")).toBeUndefined();
  });
});

describe("hypernymClosure", () => {
  it("walks up breadth first, each ancestor once, at most depth links", () => {
    const wn = tiny();
    expect(hypernymClosure(wn, "n00000040")).toEqual(["n00000020", "n00000010"]);
    expect(hypernymClosure(wn, "n00000040", 1)).toEqual(["n00000020"]);
    expect(hypernymClosure(wn, "n00000040", 0)).toEqual([]);
    // man → marsupial (instance) and entity; marsupial → entity again: listed once
    expect(hypernymClosure(wn, "n00000070")).toEqual(["n00000020", "n00000010"]);
    // a pointer to a synset not loaded ends the walk there
    expect(hypernymClosure(wn, "v00000080")).toEqual(["v00000081"]);
  });
});
