import { describe, expect, it } from "vitest";
import { fnv1a32, splitByHash } from "./hash.js";

describe("fnv1a32", () => {
  it("matches the reference values", () => {
    expect(fnv1a32("")).toBe(2166136261);
    expect(fnv1a32("a")).toBe(3826002220);
    expect(fnv1a32("foobar")).toBe(0xbf9cf968); // published FNV-1a 32 test vector
  });

  it("hashes UTF-8 bytes, not UTF-16 code units", () => {
    // "é" is C3 A9 in UTF-8: two rounds of the hash.
    let h = 2166136261;
    for (const b of [0xc3, 0xa9]) h = Math.imul(h ^ b, 16777619);
    expect(fnv1a32("é")).toBe(h >>> 0);
  });
});

describe("splitByHash", () => {
  it("puts h % 20 == 0 in test, 1 in valid, the rest in train, keeping order", () => {
    const words = Array.from({ length: 2000 }, (_, i) => `w${i}`);
    const s = splitByHash(words, (w) => w);
    expect(s.train.length + s.valid.length + s.test.length).toBe(2000);
    for (const w of s.test) expect(fnv1a32(w) % 20).toBe(0);
    for (const w of s.valid) expect(fnv1a32(w) % 20).toBe(1);
    for (const w of s.train) expect(fnv1a32(w) % 20).toBeGreaterThan(1);
    // stable: a shuffled input gives the same parts (as sets)
    const again = splitByHash([...words].reverse(), (w) => w);
    expect(new Set(again.test)).toEqual(new Set(s.test));
    expect(s.test.length / 2000).toBeGreaterThan(0.03);
    expect(s.test.length / 2000).toBeLessThan(0.07);
  });
});
