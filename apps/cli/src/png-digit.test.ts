import { describe, expect, it } from "vitest";
import { RuntimeError } from "./errors.js";
import { DIGIT_SIDE, digitFromImage, digitToImage, greyOf, resample } from "./png-digit.js";
import type { RgbaImage } from "./png.js";

/** A w×h RGBA image: `ink(x, y)` in [0, 1] drawn as `fg` on `bg` (grey levels 0–255), alpha 255. */
function draw(w: number, h: number, ink: (x: number, y: number) => number, fg: number, bg: number, alpha = () => 255): RgbaImage {
  const data = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const v = Math.round(bg + (fg - bg) * ink(x, y));
    data.set([v, v, v, alpha()], 4 * (y * w + x));
  }
  return { width: w, height: h, data };
}
/** A bar (a "1") in the middle columns of a w×h canvas, rows 20 %–80 %. */
const bar = (w: number, h: number) => (x: number, y: number) => (Math.abs(x - (w - 1) / 2) <= w / 20 && y >= 0.2 * h && y < 0.8 * h ? 1 : 0);

describe("digitFromImage", () => {
  it("takes a 28 × 28 white-on-black image as it is", () => {
    const ink = (x: number, y: number) => (x === 0 || y === 0 || x === 27 || y === 27 ? 0 : ((x * 3 + y) % 11) / 10); // a dark border, like MNIST's
    const out = digitFromImage(draw(28, 28, ink, 255, 0), "a");
    const expected = Array.from({ length: 784 }, (_, i) => Math.round(255 * ink(i % 28, Math.floor(i / 28))) / 255);
    out.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 6));
  });

  it("black-on-white and white-on-black give the same digit", () => {
    const a = digitFromImage(draw(28, 28, bar(28, 28), 255, 0), "a");
    const b = digitFromImage(draw(28, 28, bar(28, 28), 0, 255), "b");
    expect(Array.from(b)).toEqual(Array.from(a));
    // grey paper and a pencil stroke: stretched to the full range
    const c = digitFromImage(draw(28, 28, bar(28, 28), 60, 200), "c");
    c.forEach((v, i) => expect(v).toBeCloseTo(a[i]!, 6));
  });

  it("normalises other sizes as MNIST: ink fitted in 20 × 20, centred by mass", () => {
    const out = digitFromImage(draw(300, 200, bar(300, 200), 0, 255), "big");
    expect(out.length).toBe(DIGIT_SIDE * DIGIT_SIDE);
    let mass = 0, my = 0, mx = 0, top = DIGIT_SIDE, bottom = -1;
    out.forEach((v, i) => {
      const y = Math.floor(i / 28), x = i % 28;
      mass += v; my += v * y; mx += v * x;
      if (v > 0.2) { top = Math.min(top, y); bottom = Math.max(bottom, y); }
    });
    expect(bottom - top + 1).toBe(20); // the longer side (the bar's height) is 20 pixels
    expect(Math.abs(my / mass - 13.5)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(mx / mass - 13.5)).toBeLessThanOrEqual(0.5);
  });

  it("draws strokes on a transparent canvas on a contrasting background", () => {
    const n = 28 * 28;
    const img = draw(28, 28, () => 0, 0, 0); // black everywhere, alpha = stroke
    for (let i = 0; i < n; i++) img.data[4 * i + 3] = bar(28, 28)(i % 28, Math.floor(i / 28)) * 255;
    const expected = digitFromImage(draw(28, 28, bar(28, 28), 255, 0), "ref");
    expect(Array.from(digitFromImage(img, "t"))).toEqual(Array.from(expected));
    expect(greyOf(img)[0]).toBe(1); // transparent background became white behind black strokes
  });

  it("refuses a blank image, naming it", () => {
    expect(() => digitFromImage(draw(40, 40, () => 0, 0, 128), "'blank.png'")).toThrow(RuntimeError);
    expect(() => digitFromImage(draw(40, 40, () => 0, 0, 128), "'blank.png'")).toThrow("'blank.png': no digit found");
  });
});

describe("resample", () => {
  it("averages areas when shrinking and keeps the mean", () => {
    const src = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
    expect(Array.from(resample(src, 4, 4, 2, 2))).toEqual([3.5, 5.5, 11.5, 13.5]);
    const odd = resample(src, 4, 4, 3, 3);
    expect(odd.reduce((a, b) => a + b, 0) / 9).toBeCloseTo(8.5, 12);
    expect(Array.from(resample(Float64Array.from([1, 2]), 2, 1, 4, 1))).toEqual([1, 1, 2, 2]);
  });
});

describe("digitToImage", () => {
  it("scales a digit up as white ink on black", () => {
    const px = new Array<number>(784).fill(0);
    px[0] = 1;
    const img = digitToImage(px, 28, 2);
    expect([img.width, img.height]).toEqual([56, 56]);
    expect(Array.from(img.data.subarray(0, 8))).toEqual([255, 255, 255, 255, 255, 255, 255, 255]);
    expect(Array.from(img.data.subarray(16, 20))).toEqual([0, 0, 0, 255]);
  });
});
