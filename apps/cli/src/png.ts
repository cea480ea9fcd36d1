import { readFileSync } from "node:fs";
import { PNG } from "pngjs";
import { RuntimeError } from "./errors.js";
import { writeFileAtomic } from "./files.js";

/** An 8-bit RGBA raster, row-major, 4 bytes per pixel. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/**
 * Decode PNG bytes with `pngjs` (any colour type — grey, grey+alpha, RGB, RGBA, palette —,
 * bit depths 1–16, interlaced or not) into 8-bit RGBA. `name` goes into the error message.
 */
export function decodePng(bytes: Uint8Array, name: string): RgbaImage {
  try {
    const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return { width: png.width, height: png.height, data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
  } catch (e) {
    throw new RuntimeError(`${name} is not a readable PNG image: ${(e as Error).message}`);
  }
}

/** Encode 8-bit RGBA as a PNG (colour type 6, 8 bits per channel). */
export function encodePng(image: RgbaImage): Buffer {
  const { width, height, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0 || data.length !== width * height * 4) {
    throw new Error(`encodePng: expected ${width}×${height}×4 = ${width * height * 4} RGBA bytes for a positive integer size, got ${data.length}`);
  }
  const png = new PNG({ width, height });
  png.data = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return PNG.sync.write(png, { colorType: 6 });
}

/** Read and decode a PNG file (RuntimeError naming the file when missing or not a PNG). */
export function readPng(path: string): RgbaImage {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new RuntimeError(`cannot read image '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return decodePng(bytes, `'${path}'`);
}

/** Write an image as a PNG file atomically (temp file + rename). */
export function writePngAtomic(path: string, image: RgbaImage): void {
  writeFileAtomic(path, encodePng(image));
}
