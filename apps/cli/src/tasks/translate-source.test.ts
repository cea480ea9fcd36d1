import { describe, expect, it } from "vitest";
import { END_OF_WORD, MAX_SOURCE_TOKENS, sourceIds, sourcePieces, sourceTokenizer, sourceTokens } from "./translate-source.js";

const train = ["red heart", "red apple", "heart with arrow", "flag: Armenia", "flag: Japan"];

describe("translate source tokens", () => {
  it("keeps words seen twice and spells the others out letter by letter", () => {
    const tok = sourceTokenizer(train, "spelled");
    const words = tok.vocab.tokens.filter((t) => !t.startsWith("#") && !t.startsWith("<"));
    expect(words.sort()).toEqual([":", "flag", "heart", "red"]);
    expect(sourceTokens(tok, "spelled", "Red heart")).toEqual(["red", "heart"]);
    // "apple" (once in training) and "armenia" (never) are both read through their letters
    expect(sourceTokens(tok, "spelled", "flag: Armenia")).toEqual(["flag", ":", "#a", "#r", "#m", "#e", "#n", "#i", "#a", END_OF_WORD]);
    expect(sourceTokens(tok, "spelled", "red zq")).toEqual(["red", "#z?", "#q?", END_OF_WORD]); // letters never seen → <unk>
    const ids = sourceIds(tok, "spelled", "red zq");
    expect(ids.slice(1, 3)).toEqual([tok.vocab.unkId, tok.vocab.unkId]);
    expect(tok.vocab.decode(sourceIds(tok, "spelled", "red apple"))).toEqual(["red", "#a", "#p", "#p", "#l", "#e", END_OF_WORD]);
  });

  it("reads older checkpoints' `words` units as before: every unseen word is one <unk>", () => {
    const tok = sourceTokenizer(train, "words");
    expect(tok.vocab.has("apple")).toBe(true);
    expect(sourceTokens(tok, "words", "Red zxqv heart")).toEqual(["red", "zxqv?", "heart"]);
    expect(sourceIds(tok, "words", "red zxqv")).toEqual([tok.vocab.idOf("red"), tok.vocab.unkId]);
  });

  it("never mistakes a spelled letter or the end mark for a word, and cuts long sources", () => {
    // "#" and "<" are split off as marks of their own, so "#a" and "</w>" cannot be words of a phrase
    expect(sourcePieces("keycap: # a</w>", "spelled", () => true)).toEqual(["keycap", ":", "#", "a", "<", "/", "w", ">"]);
    expect(sourcePieces("abcdefghij ".repeat(6), "spelled", () => false)).toHaveLength(MAX_SOURCE_TOKENS);
  });
});
