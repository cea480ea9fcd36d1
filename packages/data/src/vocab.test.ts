import { describe, expect, it } from "vitest";
import { Vocabulary } from "./vocab.js";

describe("Vocabulary", () => {
  const corpus = [["b", "a", "c"], ["c", "c", "b"]];

  it("puts specials first (pad = 0) and sorts the rest independently of corpus order", () => {
    const v = Vocabulary.build(corpus);
    expect(v.tokens).toEqual(["<pad>", "<bos>", "<eos>", "<unk>", "a", "b", "c"]);
    expect([v.padId, v.bosId, v.eosId, v.unkId]).toEqual([0, 1, 2, 3]);
    expect(Vocabulary.build([...corpus].reverse()).tokens).toEqual(v.tokens);
  });

  it("orders by frequency, filters by minFreq and maxSize", () => {
    expect(Vocabulary.build(corpus, { order: "frequency" }).tokens.slice(4)).toEqual(["c", "b", "a"]);
    expect(Vocabulary.build(corpus, { minFreq: 2 }).tokens.slice(4)).toEqual(["b", "c"]);
    expect(Vocabulary.build(corpus, { maxSize: 1 }).tokens.slice(4)).toEqual(["c"]);
  });

  it("encodes with unk, bos and eos and decodes back", () => {
    const v = Vocabulary.build(corpus);
    expect(v.encode(["a", "z"], { addBos: true, addEos: true })).toEqual([1, 4, 3, 2]);
    expect(v.decode([1, 4, 3, 2, 5])).toEqual(["a", "<unk>"]);
    expect(v.decode([1, 4, 2, 5], { stopAtEos: false, skipSpecial: false })).toEqual(["<bos>", "a", "<eos>", "b"]);
    expect(v.decode([4, 0, 0])).toEqual(["a"]);
  });

  it("supports custom specials and round-trips through JSON", () => {
    const v = Vocabulary.build(corpus, { specials: { pad: "_", unk: null, bos: null } });
    expect(v.tokens).toEqual(["_", "<eos>", "a", "b", "c"]);
    expect(v.bosId).toBeUndefined();
    expect(() => v.idOf("z")).toThrow("Vocabulary.idOf: unknown token 'z' and no unk token");
    expect(() => v.encode(["a"], { addBos: true })).toThrow("Vocabulary.encode: addBos needs a bos token, but this vocabulary has none");
    const back = Vocabulary.fromJSON(JSON.parse(JSON.stringify(v)) as ReturnType<Vocabulary["toJSON"]>);
    expect(back.tokens).toEqual(v.tokens);
    expect(back.eosId).toBe(1);
  });

  it("validates the token table", () => {
    expect(() => new Vocabulary(["<pad>", "<bos>", "<eos>", "<unk>", "a", "a"])).toThrow("Vocabulary: token 'a' appears twice (ids 4 and 5)");
    expect(() => new Vocabulary(["a"])).toThrow("Vocabulary: token 0 must be the special '<pad>' (specials <pad>, <bos>, <eos>, <unk>), got 'a'");
    expect(() => Vocabulary.build(corpus).tokenOf(99)).toThrow("Vocabulary.tokenOf: id 99 is out of range [0, 7)");
  });
});
