import { describe, expect, it } from "vitest";
import { UsageError } from "../errors.js";
import { sentenceChrf } from "./common-chrf.js";
import { checkMbrOptions, DEFAULT_MBR, mbrChoose, mbrTranslation, mbrWeightedTranslation, type SequenceScore } from "./translate-mbr.js";

describe("mbrChoose", () => {
  it("scores each candidate by its mean sentence chrF against the evidence (known values)", () => {
    // sacrebleu: sentence_chrf("ab", ["abc"]) = 63.636… (P = 1, R = (2/3 + 1/2) / 2 over orders 1–2, β = 2)
    const { index, expected } = mbrChoose(["ab", "abc", "x"], ["abc", "abc"]);
    expect(expected[0]).toBeCloseTo(700 / 11, 10);
    expect(expected[1]).toBeCloseTo(100, 10);
    expect(expected[2]).toBe(0);
    expect(index).toBe(1);
    const evidence = ["猫脸", "猫脸", "笑猫脸"];
    const choice = mbrChoose(["猫", "猫脸", "狗"], evidence);
    expect(choice.index).toBe(1);
    expect(choice.expected[1]).toBeCloseTo((100 + 100 + 700 / 11) / 3, 10);
    expect(choice.expected[0]).toBeCloseTo(evidence.reduce((s, e) => s + sentenceChrf("猫", e), 0) / 3, 10);
  });

  it("prefers the consensus of the samples, which need not be one of them, and the earliest candidate on ties", () => {
    // each sample misses one character of 罗马尼亚; the full name shares the most n-grams with all four (68.1 against ≤ 50)
    const samples = ["罗马尼", "马尼亚", "罗马亚", "罗尼亚"];
    const choice = mbrChoose([...samples, "罗马尼亚"], samples);
    expect(choice.index).toBe(4);
    expect(choice.expected[4]).toBeGreaterThan(68);
    expect(choice.expected[0]).toBeCloseTo(50, 10);
    expect(mbrChoose(["猫", "猫", "狗"], ["猫"]).index).toBe(0);
    expect(mbrChoose(["甲", "乙"], ["丙"]).index).toBe(0); // all 0: the first
  });

  it("refuses empty candidate or evidence lists", () => {
    expect(() => mbrChoose([], ["a"])).toThrow("mbrChoose: expected at least one candidate, got 0");
    expect(() => mbrChoose(["a"], [])).toThrow(/mbrChoose: expected at least one piece of evidence/);
  });
});

describe("mbrTranslation", () => {
  it("can answer a nearest training phrase's translation when the samples back it", () => {
    const out = mbrTranslation({ greedy: "旗: 白俄罗", beam: "旗: 白俄", samples: ["旗: 罗马尼", "旗: 马尼亚", "旗: 罗马亚", "旗: 罗尼亚"], neighbours: ["旗: 罗马尼亚", "旗: 阿尔巴尼亚"] });
    expect(out).toBe("旗: 罗马尼亚");
  });

  it("keeps greedy when the samples agree with it", () => {
    expect(mbrTranslation({ greedy: "红心", beam: "红色的心", samples: ["红心", "红心", "红心"], neighbours: ["红苹果"] })).toBe("红心");
  });
});

describe("mbrChoose with weights", () => {
  it("takes the weighted mean, and refuses weights of another count, negative or summing to 0", () => {
    // "ab" against "abc" 700/11, against "x" 0: weights 3 and 1 → (3·700/11) / 4
    expect(mbrChoose(["ab"], ["abc", "x"], [3, 1]).expected[0]).toBeCloseTo((3 * 700) / 11 / 4, 10);
    expect(mbrChoose(["猫", "狗"], ["猫", "狗"], [1, 2]).index).toBe(1);
    expect(() => mbrChoose(["a"], ["a", "b"], [1])).toThrow(/expected 2 weights >= 0.*got \[1\]/);
    expect(() => mbrChoose(["a"], ["a"], [-1])).toThrow(/weights >= 0/);
    expect(() => mbrChoose(["a"], ["a"], [0])).toThrow(/positive sum, got 0/);
  });
});

describe("mbrWeightedTranslation", () => {
  const c = { greedy: "狮子", beam: "狮子", samples: ["狮子", "狮子座", "狮子"], neighbours: ["柠檬", "橙子"] };
  const scores: Record<string, SequenceScore> = { 狮子: { sum: -3, mean: -1 }, 狮子座: { sum: -6, mean: -1.5 }, 柠檬: { sum: -1, mean: -0.3 }, 橙子: { sum: -9, mean: -3 } };
  const score = (t: string): SequenceScore => scores[t]!;

  it("samples: as mbrTranslation", () => {
    expect(mbrWeightedTranslation(c, "samples", score)).toBe(mbrTranslation(c));
  });

  it("pool: a retrieved translation the model finds far more likely than its samples wins", () => {
    expect(mbrWeightedTranslation(c, "pool", score)).toBe("柠檬");
    expect(mbrWeightedTranslation(c, "pool", (t) => (t === "柠檬" ? { sum: -20, mean: -10 } : score(t)))).toBe("狮子");
  });

  it("retrieved: a neighbour weighs like one sample when the model finds it as likely as greedy, less when not", () => {
    const d = { greedy: "狮子", beam: "狮子", samples: ["狮子", "猫", "狗"], neighbours: ["柠檬", "柠檬"] };
    expect(mbrWeightedTranslation(d, "retrieved", () => ({ sum: -2, mean: -1 }))).toBe("柠檬"); // 2 of 5 pieces against 1
    expect(mbrWeightedTranslation(d, "retrieved", (t) => (t === "柠檬" ? { sum: -6, mean: -3 } : { sum: -2, mean: -1 }))).toBe("狮子"); // each e^−2
    expect(mbrWeightedTranslation(d, "retrieved", (t) => (t === "柠檬" ? { sum: 0, mean: 0 } : { sum: -2, mean: -1 }))).toBe("柠檬"); // capped at 1
  });
});

describe("checkMbrOptions", () => {
  it("passes the defaults and names the bad size", () => {
    expect(checkMbrOptions(DEFAULT_MBR)).toBe(DEFAULT_MBR);
    expect(() => checkMbrOptions({ ...DEFAULT_MBR, samples: 0 })).toThrow(new UsageError("mbr: samples must be an integer >= 1, got 0"));
    expect(() => checkMbrOptions({ ...DEFAULT_MBR, neighbours: 1.5 })).toThrow("mbr: neighbours must be an integer >= 0, got 1.5");
    expect(() => checkMbrOptions({ ...DEFAULT_MBR, epsilon: 1 })).toThrow("mbr: epsilon must be a number >= 0 and < 1, got 1");
    expect(() => checkMbrOptions({ ...DEFAULT_MBR, epsilon: Number.NaN })).toThrow(/epsilon/);
    expect(() => checkMbrOptions({ ...DEFAULT_MBR, evidence: "all" as never })).toThrow("mbr: evidence must be one of samples, pool, retrieved, got all");
  });
});
