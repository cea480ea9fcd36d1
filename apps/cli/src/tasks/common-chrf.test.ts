import { describe, expect, it } from "vitest";
import { charNgrams, chrf, chrfFromStatistics, sentenceChrf } from "./common-chrf.js";
import { NearestPhrase } from "./common-nearest.js";

// Expected values are worked out by hand from sacrebleu's definition (CHRF() defaults: orders
// 1–6, β = 2, whitespace removed, P and R averaged over orders present in both, then F-β).
describe("chrF (sacrebleu defaults)", () => {
  it("identical strings score 100, disjoint ones 0, empty hypothesis 0", () => {
    expect(chrf(["hello world"], ["hello world"])).toBeCloseTo(100, 10);
    expect(chrf(["abc"], ["xyz"])).toBe(0);
    expect(chrf([""], ["abc"])).toBe(0);
  });

  it("'ab' against 'abc': P = 1, R = (2/3 + 1/2)/2 = 7/12, F2 = 5·P·R/(4P + R) = 35/55", () => {
    expect(chrf(["ab"], ["abc"])).toBeCloseTo((100 * 35) / 55, 10);
  });

  it("'abc' against 'ab' (the roles swapped): P = 7/12, R = 1, F2 = 5·(7/12)/(4·7/12 + 1) = 35/40", () => {
    expect(chrf(["abc"], ["ab"])).toBeCloseTo((100 * 35) / 40, 10);
  });

  it("removes whitespace before counting, so spaces never match or count", () => {
    expect(chrf(["a b"], ["ab"])).toBeCloseTo(100, 10);
    expect(chrf(["ab\u3000\t"], ["abc"])).toBeCloseTo((100 * 35) / 55, 10);
    expect(charNgrams("a b", 2)[1]).toEqual(new Map([["ab", 1]]));
  });

  it("clips repeated n-grams: 'aaaa' against 'aa'", () => {
    // order 1: 4 hyp, 2 ref, 2 matches; order 2: 3, 1, 1; orders 3-4: hyp only (not counted)
    // P = (2/4 + 1/3)/2 = 5/12, R = (1 + 1)/2 = 1, F2 = 5·(5/12)/(4·5/12 + 1) = (25/12)/(32/12)
    expect(chrf(["aaaa"], ["aa"])).toBeCloseTo((100 * 25) / 32, 10);
  });

  it("counts code points: an astral character is one character, Chinese works as is", () => {
    expect(charNgrams("😀x", 1)[0]!.size).toBe(2);
    // '红心' vs '红色的心': order 1: 2 hyp, 4 ref, 2 matches; order 2: 1, 3, 0; order 3-4: ref only
    // P = (1 + 0)/2 = 1/2, R = (1/2 + 0)/2 = 1/4, F2 = 5·(1/8)/(2 + 1/4) = (5/8)/(9/4) = 5/18
    expect(sentenceChrf("红心", "红色的心")).toBeCloseTo((100 * 5) / 18, 10);
  });

  it("sums statistics over the corpus instead of averaging sentence scores", () => {
    // sentences ('ab','abc') and ('x','x'): order 1: 3 hyp, 4 ref, 3 matches; order 2: 1, 2, 1
    // P = 1, R = (3/4 + 1/2)/2 = 5/8, F2 = 5·(5/8)/(4 + 5/8) = (25/8)/(37/8)
    expect(chrf(["ab", "x"], ["abc", "x"])).toBeCloseTo((100 * 25) / 37, 10);
    expect(chrfFromStatistics([3, 4, 3, 1, 2, 1])).toBeCloseTo((100 * 25) / 37, 10);
  });

  it("refuses mismatched lists", () => {
    expect(() => chrf(["a"], [])).toThrow(/chrf: expected as many references as hypotheses, got 0 references for 1 hypotheses/);
  });
});

describe("NearestPhrase", () => {
  it("picks the training phrase with the highest sentence chrF, the earliest on ties", () => {
    const nn = new NearestPhrase(["red heart", "cat face", "grinning cat face", "red heart"]);
    expect(nn.nearest("red hearts")).toBe(0);
    expect(nn.nearest("grinning cat")).toBe(2);
    expect(nn.nearest("cat")).toBe(1); // same matches as 'grinning cat face', but a higher recall of the shorter phrase
    expect(nn.nearest("zzz")).toBe(0);
    expect(() => new NearestPhrase([])).toThrow(/NearestPhrase/);
  });

  it("ranks the k nearest training phrases, nearest first, earliest on ties", () => {
    const nn = new NearestPhrase(["red heart", "cat face", "grinning cat face", "red heart"]);
    expect(nn.nearestK("red hearts", 3)).toEqual([0, 3, 1]); // the tie 0 / 3 in order, then the shorter cat phrase (higher recall)
    expect(nn.nearestK("grinning cat", 2)).toEqual([2, 1]);
    expect(nn.nearestK("cat", 1)).toEqual([nn.nearest("cat")]);
    expect(nn.nearestK("cat", 0)).toEqual([]);
    expect(nn.nearestK("cat", 9)).toHaveLength(4);
    expect(nn.nearestK("cat", 0)).toEqual([]);
    expect(() => nn.nearestK("cat", -1)).toThrow("NearestPhrase.nearestK: k must be an integer >= 0, got -1");
  });
});

describe("chrF whitespace set", () => {
  it("drops Python's whitespace (U+001C–U+001F, U+0085 too) but keeps U+FEFF, which Python does not split on", () => {
    expect(chrf(["a\u001cb\u0085"], ["ab"])).toBeCloseTo(100, 10);
    expect(chrf(["a\ufeffb"], ["ab"])).toBeLessThan(100);
  });
});
