import { describe, expect, it } from "vitest";
import { emojiClassificationFromRecords, emojiPairsFromRecords } from "./emoji.js";

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
});
