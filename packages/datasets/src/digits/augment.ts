import { checkOptions, describeValue, Generator, Tensor } from "@heed/tensor-core";

export interface ShiftOptions {
  /** Largest shift in pixels, in each direction, along each axis (default 2). */
  maxShift?: number;
}

/**
 * Data augmentation for digit images: each image of `images` (float32 [B, C, H, W]) is moved
 * by its own random (dy, dx), each uniform in [-maxShift, maxShift], drawn from `rng` in batch
 * order; pixels moved in from outside are 0 (background). Same seed, same shifts. Returns a
 * new tensor; the input is not changed.
 *
 * @example
 * const rng = new Generator(0);
 * for (const [x, y] of loader) model.forward(shiftDigits(x, rng)); // [B, 1, 28, 28]
 */
export function shiftDigits(images: Tensor, rng: Generator, options?: ShiftOptions): Tensor {
  const { maxShift = 2 } = checkOptions("shiftDigits", options, { maxShift: true });
  if (!(images instanceof Tensor)) throw new Error(`shiftDigits: expected float32 images [B, C, H, W] as a Tensor, got ${describeValue(images)}`);
  if (!(rng instanceof Generator)) throw new Error(`shiftDigits: expected a seeded Generator (new Generator(seed)) as 'rng', got ${describeValue(rng)}`);
  if (images.shape.length !== 4 || images.dtype !== "float32") {
    throw new Error(`shiftDigits: expected float32 images [B, C, H, W], got ${images.dtype} [${images.shape.join(", ")}]`);
  }
  const [B, C, H, W] = images.shape as [number, number, number, number];
  if (!Number.isInteger(maxShift) || maxShift < 0 || maxShift >= Math.min(H, W)) {
    throw new Error(`shiftDigits: maxShift must be an integer in [0, ${Math.min(H, W) - 1}] for ${H}×${W} images, got ${maxShift}`);
  }
  const src = images.data as Float32Array;
  const dst = new Float32Array(src.length);
  for (let b = 0; b < B; b++) {
    const dy = rng.nextInt(-maxShift, maxShift + 1);
    const dx = rng.nextInt(-maxShift, maxShift + 1);
    for (let c = 0; c < C; c++) {
      const base = (b * C + c) * H * W;
      for (let y = Math.max(0, dy); y < Math.min(H, H + dy); y++) {
        const from = base + (y - dy) * W;
        const to = base + y * W;
        for (let x = Math.max(0, dx); x < Math.min(W, W + dx); x++) dst[to + x] = src[from + x - dx]!;
      }
    }
  }
  return new Tensor(dst, [B, C, H, W], "float32");
}
