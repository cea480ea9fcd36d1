import { describe, expect, it } from "vitest";
import { fnv1a32 } from "@heed/data";
import { importCmudict, splitCmudict } from "./cmudict.js";

describe("splitCmudict", () => {
  const dict = {
    "a": "AH0",
    "a(2)": "EY1",
    "a.": "EY1",
    "ad-hoc": "AE1 D HH AA1 K",
    "McAvinchey": "M AH0 K AE0 V IH1 N CH IY0 # name, irish",
    "attention": "AH0 T EH1 N SH AH0 N",
  };

  it("cleans words, strips comments and splits by FNV-1a", () => {
    const s = splitCmudict(dict);
    const all = [...s.train, ...s.valid, ...s.test];
    expect(all.map((e) => e.word).sort()).toEqual(["a", "attention", "mcavinchey"]);
    expect(s.test.map((e) => e.word)).toContain("a"); // fnv1a("a") % 20 == 0
    expect(all.find((e) => e.word === "mcavinchey")?.phonemes).toEqual("M AH0 K AE0 V IH1 N CH IY0".split(" "));
    for (const e of s.train) expect(fnv1a32(e.word) % 20).toBeGreaterThan(1);
  });

  it("strips stress and keeps alternates on request", () => {
    const s = splitCmudict(dict, { stress: false, alternates: true });
    expect(s.test.filter((e) => e.word === "a").map((e) => e.phonemes)).toEqual([["AH"], ["EY"]]);
    expect(() => splitCmudict({ x: " # only a comment" })).toThrow("splitCmudict: entry 'x' has no phonemes (value ' # only a comment')");
  });

  it("imports the real dictionary asynchronously", async () => {
    const s = await importCmudict();
    expect(s.test).toHaveLength(6247);
  });
});
