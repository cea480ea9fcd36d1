import { loadEmojiPairs } from "@heed/datasets/node";
import { describe, expect, it } from "vitest";
import { collapseRuns, MAX_RUN } from "./translate-decode.js";

describe("collapseRuns", () => {
  it("cuts runs longer than max identical characters to max", () => {
    expect(collapseRuns("亲".repeat(64))).toBe("亲亲");
    expect(collapseRuns("亲亲")).toBe("亲亲");
    expect(collapseRuns("aaabaaaa", 1)).toBe("aba");
    expect(collapseRuns("男人男人女孩")).toBe("男人男人女孩");
    expect(collapseRuns("😀😀😀x")).toBe("😀😀x"); // code points, not UTF-16 units
    expect(collapseRuns("")).toBe("");
    expect(() => collapseRuns("a", 0)).toThrow("collapseRuns: max must be a positive integer, got 0");
  });

  it("leaves every zh target phrase of the data unchanged", () => {
    const d = loadEmojiPairs("en", "zh");
    for (const p of [...d.train, ...d.valid, ...d.test]) expect(collapseRuns(p.target, MAX_RUN)).toBe(p.target);
  });
});
