import { describe, expect, it } from "vitest";
import { attentionImageRgba, CELL, heatmapsRgba, hot, IMAGE_SCALE } from "./png-render.js";

const pixel = (img: { width: number; data: Uint8Array }, x: number, y: number) => Array.from(img.data.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 4));

describe("attention pictures", () => {
  it("an image task: the input left, the map over it right, IMAGE_SCALE pixels per input pixel", () => {
    const pixels = [1, 0, 0, 0], heat = [0, 0, 0, 1];
    const img = attentionImageRgba({ title: "t", width: 2, height: 2, pixels, heat });
    expect([img.width, img.height]).toEqual([2 * 2 * IMAGE_SCALE + 8, 2 * IMAGE_SCALE]);
    expect(pixel(img, 0, 0)).toEqual([255, 255, 255, 255]); // ink is white
    expect(pixel(img, IMAGE_SCALE, 0)).toEqual([0, 0, 0, 255]);
    const right = 2 * IMAGE_SCALE + 8;
    expect(pixel(img, right + IMAGE_SCALE, IMAGE_SCALE)).toEqual([...hot(1).map((c) => Math.round(0.65 * c)), 255]); // the hottest patch
    expect(pixel(img, right, 0)).toEqual([89, 89, 89, 255]); // no attention: the ink shows through in grey
  });

  it("a sequence task: one panel per head, white (0) to blue (1)", () => {
    const maps = { rows: ["a", "b"], cols: ["x", "y", "z"], panels: [{ title: "h1", weights: [[1, 0, 0], [0, 0.5, 0.5]] }, { title: "h2", weights: [[0, 0, 1], [1, 0, 0]] }] };
    const img = heatmapsRgba(maps);
    expect([img.width, img.height]).toEqual([2 * (3 * CELL + 8) + 8, 2 * CELL + 16]);
    expect(pixel(img, 8, 8)).toEqual([0, 0, 255, 255]);
    expect(pixel(img, 8 + CELL, 8)).toEqual([255, 255, 255, 255]);
    expect(pixel(img, 8 + CELL, 8 + CELL)).toEqual([128, 128, 255, 255]);
  });

  it("hot runs black → red → yellow → white", () => {
    expect([hot(0), hot(1 / 3), hot(2 / 3), hot(1)]).toEqual([[0, 0, 0], [255, 0, 0], [255, 255, 0], [255, 255, 255]]);
  });
});
