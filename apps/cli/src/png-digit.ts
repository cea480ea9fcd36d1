import { RuntimeError } from "./errors.js";
import type { RgbaImage } from "./png.js";

/** Side of a digit image: 28 × 28, like MNIST. */
export const DIGIT_SIDE = 28;
/** MNIST fits each digit in a 20 × 20 box, centred by its centre of mass in the 28 × 28 field. */
const BOX = 20;
/** Pixels at least this bright (after contrast stretching) count as ink for the bounding box. */
const INK = 0.2;

/** Luma (ITU-R BT.601) of an RGBA image in [0, 1], transparency composited on a background chosen to contrast with the drawing. */
export function greyOf(image: RgbaImage): Float64Array {
  const { width, height, data } = image;
  const n = width * height;
  const luma = new Float64Array(n);
  const alpha = new Float64Array(n);
  let inkSum = 0, alphaSum = 0, transparent = false;
  for (let i = 0; i < n; i++) {
    luma[i] = (0.299 * data[4 * i]! + 0.587 * data[4 * i + 1]! + 0.114 * data[4 * i + 2]!) / 255;
    alpha[i] = data[4 * i + 3]! / 255;
    if (alpha[i]! < 1) transparent = true;
    inkSum += luma[i]! * alpha[i]!;
    alphaSum += alpha[i]!;
  }
  if (!transparent) return luma;
  // strokes drawn on a transparent canvas: put them on white if they are dark, on black if light
  const background = alphaSum > 0 && inkSum / alphaSum < 0.5 ? 1 : 0;
  return luma.map((v, i) => alpha[i]! * v + (1 - alpha[i]!) * background);
}

/**
 * Box-filter resampling of a grey w×h image to W×H: each output pixel is the mean of the source
 * area it covers (with fractional pixels at the edges), which is exact area averaging when
 * shrinking and piecewise-constant when enlarging.
 */
export function resample(src: Float64Array, w: number, h: number, W: number, H: number): Float64Array {
  const out = new Float64Array(W * H);
  const sx = w / W, sy = h / H;
  for (let Y = 0; Y < H; Y++) {
    const y0 = Y * sy, y1 = y0 + sy;
    for (let X = 0; X < W; X++) {
      const x0 = X * sx, x1 = x0 + sx;
      let s = 0;
      for (let y = Math.floor(y0); y < Math.min(h, Math.ceil(y1)); y++) {
        const wy = Math.min(y + 1, y1) - Math.max(y, y0);
        for (let x = Math.floor(x0); x < Math.min(w, Math.ceil(x1)); x++) s += wy * (Math.min(x + 1, x1) - Math.max(x, x0)) * src[y * w + x]!;
      }
      out[Y * W + X] = s / (sx * sy);
    }
  }
  return out;
}

/**
 * Any PNG → a 28 × 28 digit as the model saw them in training (white ink = 1 on black = 0):
 * 1. grey = luma; transparent pixels are composited on white (dark strokes) or black (light strokes);
 * 2. polarity from the border: if the outermost ring of pixels is brighter on average than 0.5,
 *    the image is dark ink on a light background and is inverted (so both black-on-white and
 *    white-on-black work);
 * 3. contrast: the border's mean becomes 0 and the brightest pixel 1 (clamped to [0, 1]);
 * 4. an image that is already 28 × 28 is used as it is; any other size is normalised the way
 *    MNIST was made: cropped to the ink's bounding box (pixels ≥ 0.2), scaled (box filter,
 *    aspect kept) so its longer side is 20 pixels, and placed in the 28 × 28 field with its
 *    centre of mass at the centre.
 * A blank image (no contrast) is a RuntimeError naming `name`.
 */
export function digitFromImage(image: RgbaImage, name: string): Float32Array {
  const { width: w, height: h } = image;
  let grey = greyOf(image);
  let ring = 0, ringCount = 0;
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    if (y === 0 || x === 0 || y === h - 1 || x === w - 1) {
      ring += grey[y * w + x]!;
      ringCount++;
    }
  }
  let background = ring / ringCount;
  if (background > 0.5) {
    grey = grey.map((v) => 1 - v);
    background = 1 - background;
  }
  const top = grey.reduce((m, v) => Math.max(m, v), 0);
  if (top - background < 0.05) throw new RuntimeError(`${name}: no digit found (the image has no contrast: background ${background.toFixed(2)}, brightest ${top.toFixed(2)})`);
  const ink = grey.map((v) => Math.min(1, Math.max(0, (v - background) / (top - background))));
  if (w === DIGIT_SIDE && h === DIGIT_SIDE) return Float32Array.from(ink);
  return centred(ink, w, h);
}

/** MNIST's normalisation: crop to the ink, fit in 20 × 20 keeping the aspect, centre of mass to the middle of 28 × 28. */
function centred(ink: Float64Array, w: number, h: number): Float32Array {
  let x0 = w, x1 = -1, y0 = h, y1 = -1;
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    if (ink[y * w + x]! >= INK) {
      x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
    }
  }
  const cw = x1 - x0 + 1, ch = y1 - y0 + 1;
  const crop = new Float64Array(cw * ch);
  for (let y = 0; y < ch; y++) for (let x = 0; x < cw; x++) crop[y * cw + x] = ink[(y + y0) * w + x + x0]!;
  const scale = BOX / Math.max(cw, ch);
  const W = Math.max(1, Math.round(cw * scale)), H = Math.max(1, Math.round(ch * scale));
  const small = resample(crop, cw, ch, W, H);
  let mass = 0, mx = 0, my = 0;
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    const v = small[y * W + x]!;
    mass += v; mx += v * x; my += v * y;
  }
  const clampOffset = (o: number, size: number) => Math.min(DIGIT_SIDE - size, Math.max(0, o));
  const ox = clampOffset(Math.round(DIGIT_SIDE / 2 - 0.5 - mx / mass), W);
  const oy = clampOffset(Math.round(DIGIT_SIDE / 2 - 0.5 - my / mass), H);
  const out = new Float32Array(DIGIT_SIDE * DIGIT_SIDE);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) out[(y + oy) * DIGIT_SIDE + x + ox] = Math.min(1, small[y * W + x]!);
  return out;
}

/** A grey digit (ink = 1) as an RGBA image, white ink on black like MNIST, each pixel `scale` × `scale`. */
export function digitToImage(pixels: ArrayLike<number>, side = DIGIT_SIDE, scale = 1): RgbaImage {
  const S = side * scale;
  const data = new Uint8Array(S * S * 4);
  for (let y = 0; y < S; y++) for (let x = 0; x < S; x++) {
    const v = Math.round(255 * Math.min(1, Math.max(0, pixels[Math.floor(y / scale) * side + Math.floor(x / scale)]!)));
    data.set([v, v, v, 255], (y * S + x) * 4);
  }
  return { width: S, height: S, data };
}
