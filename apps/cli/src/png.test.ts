import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PNG } from "pngjs";
import { afterAll, describe, expect, it } from "vitest";
import { RuntimeError } from "./errors.js";
import { decodePng, encodePng, readPng, writePngAtomic, type RgbaImage } from "./png.js";

const dir = mkdtempSync(join(tmpdir(), "heed-png-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function gradient(width: number, height: number): RgbaImage {
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) data.set([(i * 7) % 256, (i * 13) % 256, (i * 29) % 256, 255 - (i % 200)], 4 * i);
  return { width, height, data };
}

describe("PNG (pngjs)", () => {
  it("round-trips RGBA exactly, through bytes and through a file", () => {
    const img = gradient(37, 11);
    const bytes = encodePng(img);
    expect(Array.from(bytes.subarray(0, 8))).toEqual([137, 80, 78, 71, 13, 10, 26, 10]); // the PNG signature
    const back = decodePng(bytes, "bytes");
    expect([back.width, back.height]).toEqual([37, 11]);
    expect(Array.from(back.data)).toEqual(Array.from(img.data));
    const path = join(dir, "g.png");
    writePngAtomic(path, img);
    expect(Array.from(readPng(path).data)).toEqual(Array.from(img.data));
  });

  it("reads grey, grey + alpha, RGB, RGBA and 16-bit PNGs as 8-bit RGBA", () => {
    const img = gradient(5, 4);
    img.data.forEach((_, i) => i % 4 === 3 && (img.data[i] = 255));
    for (const [colorType, bitDepth] of [[0, 8], [4, 8], [2, 8], [6, 8], [2, 16], [6, 16], [0, 16]] as const) {
      const png = new PNG({ width: 5, height: 4 });
      // pngjs takes 16-bit input for 16-bit output
      png.data = bitDepth === 16 ? (Uint16Array.from(img.data, (v) => v * 257) as unknown as Buffer) : Buffer.from(img.data);
      const back = decodePng(PNG.sync.write(png, { colorType, bitDepth, inputHasAlpha: true }), "x");
      expect(back.data.length).toBe(5 * 4 * 4);
      for (let i = 0; i < 20; i++) {
        const [r, g, b, a] = back.data.subarray(4 * i, 4 * i + 4);
        expect(a).toBe(255);
        if (colorType === 0 || colorType === 4) expect([g, b]).toEqual([r, r]); // grey: one channel
        else expect([r, g, b]).toEqual(Array.from(img.data.subarray(4 * i, 4 * i + 3)));
      }
    }
  });

  it("refuses missing and corrupt files with one clear error naming the file", () => {
    expect(() => readPng(join(dir, "none.png"))).toThrow(new RuntimeError(`cannot read image '${join(dir, "none.png")}': ENOENT`));
    const bad = join(dir, "bad.png");
    writeFileSync(bad, "not a png");
    expect(() => readPng(bad)).toThrow(RuntimeError);
    expect(() => readPng(bad)).toThrow(`'${bad}' is not a readable PNG image`);
    expect(() => encodePng({ width: 2, height: 2, data: new Uint8Array(3) })).toThrow("encodePng: expected 2×2×4 = 16 RGBA bytes for a positive integer size, got 3");
    expect(readFileSync(join(dir, "g.png")).length).toBeGreaterThan(0);
  });
});
