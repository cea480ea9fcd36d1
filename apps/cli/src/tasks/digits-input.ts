import { existsSync } from "node:fs";
import type { DigitsPart } from "@heed/datasets/digits";
import { UsageError } from "../errors.js";
import { DIGIT_SIDE, digitFromImage } from "../png-digit.js";
import { readPng } from "../png.js";
import type { AttentionMaps } from "../task.js";

const PIXELS = DIGIT_SIDE * DIGIT_SIDE;

/**
 * One input of `heed predict` / `heed attention` as a 28 × 28 digit (ink = 1): a PNG file of any
 * size and colour type (see `digitFromImage`), or `test:N`, the N-th digit of the test split
 * (0-based), when no file of that name exists.
 */
export function digitInput(input: string, test: DigitsPart): Float32Array {
  const m = /^test:(\d+)$/.exec(input);
  if (m !== null && !existsSync(input)) {
    const n = Number(m[1]);
    const count = test.labels.size;
    if (n >= count) throw new UsageError(`digits: ${input} is out of range (the test split has ${count} digits, test:0 … test:${count - 1})`);
    return Float32Array.from(test.images.data.subarray(n * PIXELS, (n + 1) * PIXELS));
  }
  if (!/\.png$/i.test(input)) throw new UsageError(`digits: expected a .png image file or test:N, got '${input}'`);
  return digitFromImage(readPng(input), `'${input}'`);
}

/** Mean over k×k blocks of a side × side grid (side divisible by k): the terminal's coarser view. */
function pool(values: ArrayLike<number>, side: number, ky: number, kx: number): number[][] {
  return Array.from({ length: side / ky }, (_, i) => Array.from({ length: side / kx }, (_, j) => {
    let s = 0;
    for (let y = 0; y < ky; y++) for (let x = 0; x < kx; x++) s += values[(i * ky + y) * side + j * kx + x]!;
    return s / (ky * kx);
  }));
}

/**
 * The maps `heed attention` shows for a digit: the rollout over the patch grid [gh, gw] spread
 * over the patch's pixels (one value per patch), as a picture over the digit (`image`) and, for
 * the terminal, as two 14 × 28 panels (two pixel rows per text line, so the digit keeps its shape).
 */
export function digitAttentionMaps(pixels: Float32Array, patchMap: ArrayLike<number>, grid: readonly [number, number], caption: string): AttentionMaps {
  const [gh, gw] = grid;
  const heat = Array.from({ length: PIXELS }, (_, i) => patchMap[Math.floor(Math.floor(i / DIGIT_SIDE) / (DIGIT_SIDE / gh)) * gw + Math.floor((i % DIGIT_SIDE) / (DIGIT_SIDE / gw))]!);
  const lo = Math.min(...heat);
  const span = Math.max(...heat) - lo || 1;
  const cols = Array.from({ length: DIGIT_SIDE }, () => " ");
  const rows = Array.from({ length: DIGIT_SIDE / 2 }, () => "");
  return {
    rows, cols,
    panels: [
      { title: "input digit (28 × 28, two pixel rows per line)", weights: pool(pixels, DIGIT_SIDE, 2, 1) },
      { title: `attention rollout, class token → ${gh}×${gw} patches (smallest share blank, largest full)`, weights: pool(heat.map((v) => (v - lo) / span), DIGIT_SIDE, 2, 1) },
    ],
    image: { title: caption, width: DIGIT_SIDE, height: DIGIT_SIDE, pixels: Array.from(pixels), heat },
  };
}
