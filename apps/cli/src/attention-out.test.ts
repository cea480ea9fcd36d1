import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkAttentionOut, writeAttentionOut } from "./attention-out.js";
import { UsageError } from "./errors.js";
import { readPng } from "./png.js";
import { CELL } from "./png-render.js";
import type { AttentionMaps } from "./task.js";

const dir = mkdtempSync(join(tmpdir(), "heed-attn-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const wordMaps: AttentionMaps = { rows: ["HH", "IY1"], cols: ["h", "e", "e", "d"], panels: [{ title: "layer 1", weights: [[1, 0, 0, 0], [0, 0.5, 0.5, 0]] }] };
const digitMaps: AttentionMaps = { ...wordMaps, image: { title: "a <digit>", width: 28, height: 28, pixels: new Array<number>(784).fill(0.5), heat: new Array<number>(784).fill(0.1) } };

describe("heed attention --out", () => {
  it("accepts .png and .svg only, before any work is done", () => {
    expect(checkAttentionOut("a/map.PNG")).toBe("png");
    expect(checkAttentionOut("map.svg")).toBe("svg");
    expect(() => checkAttentionOut("map.jpg")).toThrow(new UsageError("attention: --out must name a .png or .svg file, got 'map.jpg'"));
  });

  it("a sequence task's heatmaps as a PNG and as an SVG", () => {
    writeAttentionOut(join(dir, "w.png"), wordMaps);
    const png = readPng(join(dir, "w.png"));
    expect([png.width, png.height]).toEqual([4 * CELL + 16, 2 * CELL + 16]);
    writeAttentionOut(join(dir, "w.svg"), wordMaps);
    const svg = readFileSync(join(dir, "w.svg"), "utf8");
    expect(svg).toMatch(/^<svg/);
    expect(svg).toContain(">IY1</text>");
  });

  it("an image task's map over the image; the SVG embeds the same picture", () => {
    writeAttentionOut(join(dir, "d.png"), digitMaps);
    const png = readPng(join(dir, "d.png"));
    expect([png.width, png.height]).toEqual([456, 224]);
    writeAttentionOut(join(dir, "d.svg"), digitMaps);
    const svg = readFileSync(join(dir, "d.svg"), "utf8");
    expect(svg).toContain('width="456" height="248"');
    expect(svg).toContain("a &lt;digit>");
    const b64 = /href="data:image\/png;base64,([^"]+)"/.exec(svg)![1]!;
    expect(Buffer.from(b64, "base64").equals(readFileSync(join(dir, "d.png")))).toBe(true);
  });
});
