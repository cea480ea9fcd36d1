import { describe, expect, it } from "vitest";
import { UsageError } from "../errors.js";
import { sentenceChrf } from "./common-chrf.js";
import { checkMbrOptions, DEFAULT_MBR, mbrChoose, mbrTranslation } from "./translate-mbr.js";

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

describe("checkMbrOptions", () => {
  it("passes the defaults and names the bad size", () => {
    expect(checkMbrOptions(DEFAULT_MBR)).toBe(DEFAULT_MBR);
    expect(() => checkMbrOptions({ ...DEFAULT_MBR, samples: 0 })).toThrow(new UsageError("mbr: samples must be an integer >= 1, got 0"));
    expect(() => checkMbrOptions({ ...DEFAULT_MBR, neighbours: 1.5 })).toThrow("mbr: neighbours must be an integer >= 0, got 1.5");
    expect(() => checkMbrOptions({ ...DEFAULT_MBR, epsilon: 1 })).toThrow("mbr: epsilon must be a number >= 0 and < 1, got 1");
    expect(() => checkMbrOptions({ ...DEFAULT_MBR, epsilon: Number.NaN })).toThrow(/epsilon/);
  });
});
