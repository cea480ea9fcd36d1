import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { emojiPairsFromRecords } from "../index.js";
import {
  loadCmudict, loadCo2, loadCountryNamePairs, loadEmojiClassification, loadEmojiPairs, loadEmojiRecords, loadEmojiVariantPairs, loadTimeSeries,
} from "./index.js";

describe("loadCmudict", () => {
  const split = loadCmudict();

  it("reproduces the documented split counts and test-word checksum", () => {
    expect([split.train.length, split.valid.length, split.test.length]).toEqual([112482, 6191, 6247]);
    const words = split.test.map((e) => e.word).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const sha = createHash("sha256").update(words.map((w) => `${w}\n`).join("")).digest("hex");
    expect(sha).toBe("37b261927ba5f489d303bba362abf9da810d3bd33f3922a45c1663dc72ece5ee");
    expect(words.slice(0, 5)).toEqual(["'n", "a", "aarti", "abbotstown", "abductee"]);
  });

  it("has known pronunciations, stripped comments and the documented symbol sets", () => {
    const all = [...split.train, ...split.valid, ...split.test];
    const find = (w: string): string[] | undefined => all.find((e) => e.word === w)?.phonemes;
    expect(find("attention")).toEqual(["AH0", "T", "EH1", "N", "SH", "AH0", "N"]);
    expect(find("mcavinchey")).toEqual("M AH0 K AE0 V IH1 N CH IY0".split(" "));
    expect(split.test.find((e) => e.word === "abductee")?.phonemes.join(" ")).toBe("AE0 B D AH2 K T IY1");
    expect(all.some((e) => e.phonemes.some((p) => p.includes("#")))).toBe(false);
    expect(new Set(all.flatMap((e) => [...e.word])).size).toBe(27);
    expect(new Set(all.flatMap((e) => e.phonemes)).size).toBe(69);
  });

  it("strips stress and adds alternates to the same part as their word", () => {
    const plain = loadCmudict({ stress: false });
    expect(plain.train.find((e) => e.word === "attention")?.phonemes).toEqual(["AH", "T", "EH", "N", "SH", "AH", "N"]);
    expect(new Set(plain.train.flatMap((e) => e.phonemes)).size).toBe(39);
    const alt = loadCmudict({ alternates: true });
    const a = alt.test.filter((e) => e.word === "a").map((e) => e.phonemes.join(" "));
    expect(a).toEqual(["AH0", "EY1"]);
    expect(alt.train.length + alt.valid.length + alt.test.length).toBeGreaterThan(124920);
  });
});

describe("emoji loaders", () => {
  it("loads 1,949 records per locale and joins en → zh on hexcode", () => {
    expect(loadEmojiRecords("en")).toHaveLength(1949);
    expect(emojiPairsFromRecords(loadEmojiRecords("en"), loadEmojiRecords("zh"))).toEqual(loadEmojiPairs("en", "zh"));
    expect(() => loadEmojiRecords("xx")).toThrow(/^loadEmojiRecords: /);
    const { train, valid, test } = loadEmojiPairs("en", "zh");
    const all = [...train, ...valid, ...test];
    expect(all).toHaveLength(1949);
    const grin = all.find((p) => p.hexcode === "1F600");
    expect(grin?.source).toBe("grinning face");
    expect(grin?.target).toBe("嘿嘿");
    expect(all.find((p) => p.hexcode === "2764")).toMatchObject({ source: "red heart", target: "红心" });
    const es = loadEmojiPairs("en", "es");
    expect([...es.train, ...es.valid, ...es.test].find((p) => p.hexcode === "1F600")?.target).toBe("cara sonriendo");
    // the split depends on the hexcode only, so it is the same for every locale pair
    expect(es.test.map((p) => p.hexcode)).toEqual(test.map((p) => p.hexcode));
    expect(test.length).toBeGreaterThan(50);
    // named by the function called, not the internal record loader
    expect(() => loadEmojiPairs("en", "xx")).toThrow(/^loadEmojiPairs: unknown locale 'xx'/);
    expect(() => loadEmojiVariantPairs("xx")).toThrow(/^loadEmojiVariantPairs: unknown locale 'xx'/);
    expect(() => loadEmojiClassification("zz")).toThrow(/^loadEmojiClassification: unknown locale 'zz'/);
    expect(() => loadEmojiRecords("zz")).toThrow(/^loadEmojiRecords: unknown locale 'zz'/);
  });

  it("gives the skin-tone variants' pairs, each in its base emoji's part", () => {
    const v = loadEmojiVariantPairs("en", "zh");
    expect(v.train.length + v.valid.length + v.test.length).toBe(2030);
    expect([...v.train, ...v.valid, ...v.test].find((p) => p.hexcode === "1F44B-1F3FB")).toMatchObject({ base: "1F44B", source: "waving hand: light skin tone", target: "挥手: 较浅肤色" });
    const pairs = loadEmojiPairs("en", "zh");
    for (const part of ["train", "valid", "test"] as const) {
      const bases = new Set(pairs[part].map((p) => p.hexcode));
      expect(v[part].every((p) => bases.has(p.base))).toBe(true);
    }
    expect(v.test.length).toBeGreaterThan(0);
  });

  it("gives group/subgroup labels with names", () => {
    const c = loadEmojiClassification("en");
    expect(c.train.length + c.valid.length + c.test.length).toBe(1923);
    expect(c.groupNames).toHaveLength(10);
    expect(c.groupNames[0]).toBe("smileys-emotion");
    const grin = [...c.train, ...c.valid, ...c.test].find((p) => p.hexcode === "1F600");
    expect(grin).toEqual({ hexcode: "1F600", text: "grinning face", group: 0, subgroup: 0 });
    expect(c.subgroupNames[0]).toBe("face-smiling");
  });
});

describe("loadCountryNamePairs", () => {
  it("gives i18n-iso-countries' names as a lexicon: one pair per source name, aliases included, in code order", () => {
    const pairs = loadCountryNamePairs("en", "zh");
    expect(pairs).toHaveLength(279);
    expect(new Set(pairs.map((p) => p.code)).size).toBe(250);
    expect(pairs[0]).toEqual({ code: "AD", source: "Andorra", target: "安道尔" });
    expect(pairs.find((p) => p.source === "Norway")).toEqual({ code: "NO", source: "Norway", target: "挪威" });
    expect(pairs.filter((p) => p.code === "US").map((p) => p.source)).toEqual(["United States of America", "United States", "USA", "U.S.A.", "US", "U.S."]);
    expect(new Set(pairs.filter((p) => p.code === "US").map((p) => p.target))).toEqual(new Set(["美国"]));
    const codes = pairs.map((p) => p.code);
    expect(codes).toEqual([...codes].sort());
    // the other direction reads the same files
    expect(loadCountryNamePairs("zh", "en").find((p) => p.code === "NO")).toEqual({ code: "NO", source: "挪威", target: "Norway" });
  });

  it("names the function, the locales it has and the one received", () => {
    expect(() => loadCountryNamePairs("en", "ja")).toThrow("loadCountryNamePairs: unknown locale 'ja'; expected one of en, zh");
    expect(() => loadCountryNamePairs("en", "en")).toThrow("loadCountryNamePairs: source and target locale are both 'en'");
    expect(() => loadCountryNamePairs({ locale: "en" } as never)).toThrow("loadCountryNamePairs: unknown locale an object {locale}; expected one of en, zh");
    expect(() => (loadCountryNamePairs as (...a: unknown[]) => unknown)("en", "zh", "extra")).toThrow("loadCountryNamePairs");
  });
});

describe("time series loaders", () => {
  it("reads the Mauna Loa CO2 series", () => {
    const s = loadTimeSeries("co2");
    expect(s.values).toHaveLength(741);
    expect(s.times[0]).toBe("1958-03-01");
    expect(s.values[0]).toBeCloseTo(315.7, 10);
    expect(s.values[740]).toBeCloseTo(416.18, 10);
  });

  it("windows CO2 with training-only statistics", () => {
    const { train, test, mean, std, splitIndex, denormalize } = loadCo2({ window: 12, horizon: 1 });
    expect(splitIndex).toBe(592);
    expect(train.x.shape).toEqual([592 - 12, 12, 1]);
    expect(test.y.shape).toEqual([741 - 592, 1]);
    const raw = loadTimeSeries("co2").values.subarray(0, 592);
    const m = raw.reduce((a, b) => a + b, 0) / raw.length;
    expect(mean).toBeCloseTo(m, 8);
    expect(std).toBeCloseTo(Math.sqrt(raw.reduce((a, b) => a + (b - m) ** 2, 0) / raw.length), 8);
    expect(denormalize(train.x.data[0]!)).toBeCloseTo(315.7, 3);
  });
});
