import type { AttentionImage, AttentionMaps } from "./task.js";
import type { RgbaImage } from "./png.js";

/** Pixels per digit pixel in the PNG of an image task (28 → 224). */
export const IMAGE_SCALE = 8;
/** Pixels per attention weight in the PNG of a sequence task's heatmaps. */
export const CELL = 12;
const GAP = 8;

/** The "hot" colour map (black → red → yellow → white) at t in [0, 1]. */
export function hot(t: number): [number, number, number] {
  const c = (v: number) => Math.round(255 * Math.min(1, Math.max(0, v)));
  return [c(3 * t), c(3 * t - 1), c(3 * t - 2)];
}

function canvas(width: number, height: number): RgbaImage {
  return { width, height, data: new Uint8Array(width * height * 4).fill(255) };
}

function put(img: RgbaImage, x: number, y: number, [r, g, b]: readonly number[]): void {
  img.data.set([r!, g!, b!, 255], (y * img.width + x) * 4);
}

/**
 * An image task's attention as a picture: the input on the left (white ink on black), and on
 * the right the input in grey under the attention map in the "hot" colours, scaled from the
 * smallest share (black) to the largest (white) so that the differences show. Every input pixel is IMAGE_SCALE × IMAGE_SCALE pixels:
 * a 28 × 28 digit gives a 456 × 224 PNG.
 */
export function attentionImageRgba(image: AttentionImage): RgbaImage {
  const { width: w, height: h, pixels, heat } = image;
  const S = IMAGE_SCALE;
  const out = canvas(2 * w * S + GAP, h * S);
  const lo = Math.min(...heat);
  const span = Math.max(...heat) - lo || 1;
  for (let y = 0; y < h * S; y++) for (let x = 0; x < w * S; x++) {
    const i = Math.floor(y / S) * w + Math.floor(x / S);
    const v = Math.min(1, Math.max(0, pixels[i]!));
    put(out, x, y, [255 * v, 255 * v, 255 * v].map(Math.round));
    const [r, g, b] = hot((heat[i]! - lo) / span);
    put(out, w * S + GAP + x, y, [r, g, b].map((c) => Math.round(0.65 * c + 0.35 * 255 * v)));
  }
  return out;
}

/**
 * A sequence task's attention heatmaps as a picture, the raster twin of `heatmapsSvg`: one panel
 * per (layer, head), four to a row, rows = queries, columns = keys, CELL × CELL pixels per
 * weight, white (0) to blue (1). Labels are in the SVG and the terminal output, not here.
 */
export function heatmapsRgba(maps: AttentionMaps): RgbaImage {
  const rows = maps.rows.length, cols = maps.cols.length;
  const perRow = Math.max(1, Math.min(maps.panels.length, 4));
  const bw = cols * CELL + GAP, bh = rows * CELL + GAP;
  const out = canvas(perRow * bw + GAP, Math.ceil(maps.panels.length / perRow) * bh + GAP);
  maps.panels.forEach((p, k) => {
    const ox = GAP + (k % perRow) * bw, oy = GAP + Math.floor(k / perRow) * bh;
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) {
      const shade = Math.round(255 * (1 - Math.max(0, Math.min(1, p.weights[i]?.[j] ?? 0))));
      for (let y = 0; y < CELL; y++) for (let x = 0; x < CELL; x++) put(out, ox + j * CELL + x, oy + i * CELL + y, [shade, shade, 255]);
    }
  });
  return out;
}
