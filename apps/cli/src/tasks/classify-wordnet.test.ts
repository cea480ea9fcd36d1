import { noGrad } from "@heed/autograd";
import { fnv1a32 } from "@heed/data";
import { parseWordNetData, parseWordNetIndex, type WordNet } from "@heed/datasets";
import { Generator } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { configOf, reload, trainSteps } from "../../test/tasks-testing.js";
import { classifyTask } from "./classify.js";
import { loadWordNet } from "@heed/datasets/node";
import { wordNetFeatureIds, wordNetFeatures, wordNetIds, type WordNetFeatureOptions } from "./classify-wordnet.js";
import { SUBWORDS, subwordBatch, subwordIds } from "./common-subword.js";

// a hand-made WordNet: kangaroo (noun.animal) → marsupial → entity; smile as a noun and a verb
function tiny(): WordNet {
  const lemmas = parseWordNetIndex("kangaroo n 1 1 @ 1 0 00000040  \nsmile n 1 1 @ 1 0 00000050  \n", "noun");
  parseWordNetIndex("smile v 2 1 @ 2 0 00000060 00000070  \n", "verb", lemmas);
  const synsets = parseWordNetData([
    "00000010 03 n 01 entity 0 000 | that which is perceived",
    "00000020 05 n 01 marsupial 0 001 @ 00000010 n 0000 | mammals with a pouch",
    "00000040 05 n 01 kangaroo 0 001 @ 00000020 n 0000 | leaping marsupials",
    "00000050 10 n 01 smile 0 000 | a facial expression",
  ].join("\n"), "noun");
  parseWordNetData("00000060 29 v 01 smile 0 000 01 + 02 00 | change one's facial expression\n00000070 32 v 01 smile 0 000 | express with a smile\n", "verb", synsets);
  return { lemmas, synsets };
}

const ALL: WordNetFeatureOptions = { buckets: 64, senses: 3, depth: 8 };

describe("wordNetFeatures", () => {
  it("gives the lexicographer files of the first senses and the first noun's and verb's hypernyms, of the base form", () => {
    const wn = tiny();
    expect(wordNetFeatures(wn, "kangaroos", ALL)).toEqual(["lex:noun.animal", "syn:n00000020", "syn:n00000010"]);
    expect(wordNetFeatures(wn, "kangaroo", { ...ALL, depth: 1 })).toEqual(["lex:noun.animal", "syn:n00000020"]);
    expect(wordNetFeatures(wn, "smiling", ALL)).toEqual(["lex:verb.body", "lex:verb.communication"]); // -ing → -e; "smiling" is no noun
    expect(wordNetFeatures(wn, "smile", { ...ALL, senses: 1 })).toEqual(["lex:noun.communication", "lex:verb.body"]);
    expect(wordNetFeatures(wn, "wombat", ALL)).toEqual([]);
    expect(wordNetFeatures(wn, ":", ALL)).toEqual([]);
  });

  it("hashes them into their own buckets after the n-grams'", () => {
    const wn = tiny();
    const ids = wordNetIds(wn, "kangaroo", ALL, 4096);
    expect(ids).toEqual(wordNetFeatures(wn, "kangaroo", ALL).map((f) => 4097 + (fnv1a32(f) % 64)));
    expect(ids.every((id) => id > 4096 && id <= 4096 + 64)).toBe(true);
  });

  it("wordNetFeatureIds gives the same ids as WordNet itself, for the words given up front and for others", () => {
    const ids = wordNetFeatureIds(ALL, 4096, ["kangaroo", "pizza"]);
    const wn = loadWordNet();
    for (const w of ["kangaroo", "pizza", "broccoli", "zxqv"]) expect(ids(w)).toEqual(wordNetIds(wn, w, ALL, 4096));
    expect(ids("kangaroo").length).toBeGreaterThan(5);
    expect(ids("zxqv")).toEqual([]);
  });

  it("subwordBatch puts a word's extra ids after its n-grams and counts them in its mean", () => {
    const extra = (w: string) => (w === "cat" ? [9001, 9002] : []);
    const { grams, scale } = subwordBatch([["cat", "dog"]], SUBWORDS, extra);
    const n = subwordIds("cat", SUBWORDS).length;
    const G = grams.shape[2]!;
    expect(G).toBe(n + 2);
    expect(Array.from(grams.data.subarray(0, G))).toEqual([...subwordIds("cat", SUBWORDS), 9001, 9002]);
    expect(Array.from(grams.data.subarray(G, 2 * G))).toEqual([...subwordIds("dog", SUBWORDS), ...Array.from({ length: G - subwordIds("dog", SUBWORDS).length }, () => 0)]);
    expect(scale.data[0]).toBeCloseTo(1 / (1 + n + 2), 7);
    expect(subwordBatch([["cat"]], SUBWORDS).grams.shape[2]).toBe(n);
  });
});

describe("classify with WordNet features (the default)", () => {
  const tiny = configOf(classifyTask, { dModel: 16, heads: 2, batchSize: 32 });

  it("records the features in vocab.json, trains, and rebuilds an identical model from it", () => {
    const { rt, losses } = trainSteps(classifyTask, tiny, 3);
    expect(losses.every(Number.isFinite)).toBe(true);
    const vocab = rt.vocab() as { wordnet?: WordNetFeatureOptions; members?: number };
    expect(vocab.wordnet).toEqual({ buckets: 4096, senses: 3, depth: 8 });
    expect(vocab.members).toBe(2);
    // the n-gram table grows by the WordNet buckets
    expect(rt.model.stateDict().get("members.0.embed.grams.weight")!.shape).toEqual([4096 + 4096 + 1, 16]);
    const again = reload(classifyTask, tiny, rt);
    const inputs = ["kangaroo", "broccoli", "flag: France", "person rowing boat"];
    expect(noGrad(() => again.predict(inputs))).toEqual(noGrad(() => rt.predict(inputs)));
    expect(noGrad(() => again.evaluate("valid", 0))).toEqual(noGrad(() => rt.evaluate("valid", 0)));
  });

  it("feeds the features through the grams input; a checkpoint written before them (no wordnet in vocab.json) reads n-grams only", () => {
    const rt = classifyTask.create(tiny, new Generator(1));
    const { wordnet, ...before } = rt.vocab() as { wordnet?: WordNetFeatureOptions };
    expect(wordnet).toBeDefined();
    const old = classifyTask.create(tiny, new Generator(1), before);
    expect(old.model.stateDict().get("members.0.embed.grams.weight")!.shape).toEqual([4096 + 1, 16]);
    // "red heart", "smiling cat face": the words have WordNet features after their n-grams
    expect(rt.onnx!.example().grams!.shape[2]!).toBeGreaterThan(old.onnx!.example().grams!.shape[2]!);
    expect(noGrad(() => old.predict(["kangaroo"]))[0]).toMatch(/^[a-z-]+ \(\d+\.\d%\)$/);
  });
});
