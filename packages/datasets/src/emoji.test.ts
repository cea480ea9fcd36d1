import { describe, expect, it } from "vitest";
import { emojiClassificationFromRecords, emojiPairsFromRecords, emojiVariantPairsFromRecords } from "./emoji.js";

const en = [
  { hexcode: "1F600", label: "grinning face", emoji: "😀", group: 0, subgroup: 0 },
  { hexcode: "1F1E6", label: "regional indicator A" },
  { hexcode: "2764", label: "red heart", emoji: "❤", group: 0, subgroup: 1 },
];
const zh = [
  { hexcode: "2764", label: "红心" },
  { hexcode: "1F600", label: "嘿嘿" },
];

describe("emoji records", () => {
  it("joins two locales on hexcode", () => {
    const s = emojiPairsFromRecords(en, zh);
    const all = [...s.train, ...s.valid, ...s.test];
    expect(all).toHaveLength(2);
    expect(all).toContainEqual({ hexcode: "1F600", emoji: "😀", source: "grinning face", target: "嘿嘿" });
    expect(all).toContainEqual({ hexcode: "2764", emoji: "❤", source: "red heart", target: "红心" });
  });

  it("labels phrases with group and subgroup indices and names", () => {
    const c = emojiClassificationFromRecords(en, { groups: { 0: "smileys-emotion" }, subgroups: { 0: "face-smiling", 1: "heart" } });
    expect([...c.train, ...c.valid, ...c.test].map((p) => p.text).sort()).toEqual(["grinning face", "red heart"]);
    expect(c.subgroupNames).toEqual(["face-smiling", "heart"]);
    expect(() => emojiClassificationFromRecords(en, { groups: { 1: "x" }, subgroups: {} })).toThrow(/group ids must be 0..n-1, found 1 at position 0/);
  });

  it("pairs skin-tone variants on their own hexcode and splits them with their base emoji", () => {
    const hand = (label: string, tones: string[]) => ({
      hexcode: "1F44B", label, skins: tones.map((t, i) => ({ hexcode: `1F44B-1F3F${"BC"[i]}`, label: `${label}: ${t}` })),
    });
    const s = emojiVariantPairsFromRecords([hand("waving hand", ["light skin tone", "medium-light skin tone"]), ...en], [hand("挥手", ["较浅肤色"])]);
    const all = [...s.train, ...s.valid, ...s.test];
    expect(all).toEqual([{ hexcode: "1F44B-1F3FB", base: "1F44B", emoji: "", source: "waving hand: light skin tone", target: "挥手: 较浅肤色" }]);
    // the same part as the base emoji's pair
    const base = emojiPairsFromRecords([hand("waving hand", [])], [hand("挥手", [])]);
    for (const part of ["train", "valid", "test"] as const) expect(s[part].length).toBe(base[part].length);
  });
});
