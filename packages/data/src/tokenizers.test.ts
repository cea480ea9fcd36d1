import { describe, expect, it } from "vitest";
import { CharTokenizer, WordTokenizer, tokenizerFromJSON } from "./tokenizers.js";

describe("CharTokenizer", () => {
  it("tokenizes by code point and round-trips", () => {
    const tok = CharTokenizer.fromCorpus(["attention", "heed", "注意😀"]);
    expect(tok.tokenize("注意😀")).toEqual(["注", "意", "😀"]);
    const ids = tok.encode("heed", { addBos: true, addEos: true });
    expect(ids[0]).toBe(tok.vocab.bosId);
    expect(ids.at(-1)).toBe(tok.vocab.eosId);
    expect(tok.decode(ids)).toBe("heed");
    expect(tok.decode(tok.encode("hex"))).toBe("he<unk>");
    expect(tok.size).toBe(4 + 11); // a t e n i o h d 注 意 😀 (one code point, two UTF-16 units)
  });

  it("round-trips through JSON", () => {
    const tok = CharTokenizer.fromCorpus(["abc"]);
    const back = tokenizerFromJSON(JSON.parse(JSON.stringify(tok)) as ReturnType<CharTokenizer["toJSON"]>);
    expect(back).toBeInstanceOf(CharTokenizer);
    expect(back.encode("cab")).toEqual(tok.encode("cab"));
    expect(() => WordTokenizer.fromJSON(tok.toJSON())).toThrow("WordTokenizer.fromJSON: expected type 'word', got 'char'");
    // a string instead of ids (was "Vocabulary.tokenOf: id a is out of range")
    expect(() => tok.decode("ab" as never)).toThrow("Tokenizer.decode: expected an array of token ids, got string 'ab'");
  });
});

describe("WordTokenizer", () => {
  it("splits on whitespace (ARPAbet phonemes) and joins with spaces", () => {
    const tok = WordTokenizer.fromCorpus(["AH0 T EH1 N SH AH0 N", "  HH IY1 D\t"]);
    expect(tok.vocab.tokens.slice(4)).toEqual(["AH0", "D", "EH1", "HH", "IY1", "N", "SH", "T"]);
    expect(tok.tokenize("  T  EH1 ")).toEqual(["T", "EH1"]);
    expect(tok.tokenize("   ")).toEqual([]);
    expect(tok.decode(tok.encode("HH IY1 D", { addEos: true }))).toBe("HH IY1 D");
    const back = tokenizerFromJSON(tok.toJSON());
    expect(back).toBeInstanceOf(WordTokenizer);
    expect(back.vocab.tokens).toEqual(tok.vocab.tokens);
  });
});
