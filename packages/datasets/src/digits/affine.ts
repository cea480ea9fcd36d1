import { checkOptions, describeValue, expectNumber, Generator, Tensor, type OptionKeys } from "@heed/tensor-core";

/** One image's transform about its centre: rotate by `angle` (radians; positive turns clockwise on screen, where y points down), scale by `scale`, then move by (dy, dx) pixels. */
export interface Warp {
  angle: number;
  scale: number;
  dy: number;
  dx: number;
}

export interface AffineOptions {
  /** Largest rotation in degrees, either way (default 10). */
  maxRotation?: number;
  /** Largest relative change of size: the scale is uniform in [1 − maxScale, 1 + maxScale] (default 0.1). */
  maxScale?: number;
  /** Largest move in pixels along each axis, either way (default 2; not rounded: the image is resampled). */
  maxShift?: number;
}

const WARP_KEYS: OptionKeys<Warp> = { angle: true, scale: true, dy: true, dx: true };

/**
 * Warp one H × W image (row-major, `src` from `offset`) into `dst` (from `offset`): each output
 * pixel reads the source at the inverse transform of its centre, by bilinear interpolation;
 * points outside the image read 0 (background). `src` and `dst` are two Float32Arrays that do not
 * overlap (a warp in place would read pixels it has already written), each holding
 * `offset + H * W` values at least; `warp` has all four finite fields, `scale` > 0 (as
 * torchvision's `affine`).
 *
 * @example
 * const out = new Float32Array(28 * 28);
 * warpImage(image, out, 0, 28, 28, { angle: Math.PI / 18, scale: 1.1, dy: 0, dx: -1 }); // 10° clockwise, 10 % larger, 1 pixel left
 */
export function warpImage(src: Float32Array, dst: Float32Array, offset: number, H: number, W: number, warp: Warp): void {
  const fn = "warpImage";
  if (!(src instanceof Float32Array)) throw new Error(`${fn}: expected 'src' to be a Float32Array, got ${describeValue(src)}`);
  if (!(dst instanceof Float32Array)) throw new Error(`${fn}: expected 'dst' to be a Float32Array, got ${describeValue(dst)}`);
  for (const [name, v, min] of [["offset", offset, 0], ["H", H, 1], ["W", W, 1]] as const) {
    if (expectNumber(fn, name, v, true) < min) throw new Error(`${fn}: expected '${name}' to be an integer >= ${min}, got ${v}`);
  }
  const end = offset + H * W;
  for (const [name, a] of [["src", src], ["dst", dst]] as const) {
    if (a.length < end) throw new Error(`${fn}: '${name}' holds ${a.length} values, but offset ${offset} + ${H}×${W} needs ${end}`);
  }
  if (src.buffer === dst.buffer && src.byteOffset + 4 * end > dst.byteOffset + 4 * offset && dst.byteOffset + 4 * end > src.byteOffset + 4 * offset) {
    throw new Error(`${fn}: 'src' and 'dst' share the image's memory (a warp in place would read pixels it has already written); give another 'dst'`);
  }
  if (typeof warp !== "object" || warp === null) throw new Error(`${fn}: expected 'warp' as { angle, scale, dy, dx }, got ${describeValue(warp)}`);
  checkOptions(fn, warp, WARP_KEYS);
  for (const k of ["angle", "scale", "dy", "dx"] as const) expectNumber(fn, `warp.${k}`, warp[k]);
  if (warp.scale <= 0) throw new Error(`${fn}: expected 'warp.scale' > 0, got ${warp.scale}`);
  warpInto(src, dst, offset, H, W, warp);
}

/** warpImage without the checks (affineDigits calls it per image with what it has checked). */
function warpInto(src: Float32Array, dst: Float32Array, offset: number, H: number, W: number, warp: Warp): void {
  const cy = (H - 1) / 2, cx = (W - 1) / 2;
  const cos = Math.cos(warp.angle) / warp.scale, sin = Math.sin(warp.angle) / warp.scale;
  const at = (y: number, x: number): number => (y >= 0 && y < H && x >= 0 && x < W ? src[offset + y * W + x]! : 0);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      // inverse of q = c + s·R(θ)·(p − c) + t:  p = c + R(−θ)·(q − c − t) / s
      const u = x - cx - warp.dx, v = y - cy - warp.dy;
      const sx = cx + cos * u + sin * v;
      const sy = cy - sin * u + cos * v;
      const x0 = Math.floor(sx), y0 = Math.floor(sy);
      const fx = sx - x0, fy = sy - y0;
      dst[offset + y * W + x] =
        (1 - fy) * ((1 - fx) * at(y0, x0) + fx * at(y0, x0 + 1)) + fy * ((1 - fx) * at(y0 + 1, x0) + fx * at(y0 + 1, x0 + 1));
    }
  }
}

/**
 * Data augmentation for digit images (float32 [B, C, H, W]): each image gets its own random
 * rotation, scale and move about its centre, drawn from `rng` in batch order (per image: angle,
 * scale, dy, dx, each uniform in its range), and is resampled bilinearly with 0 outside — the
 * small elastic-free distortions of Simard et al. 2003. Same seed, same bits; all options 0 is
 * the identity. Returns a new tensor; the input is not changed.
 *
 * @example
 * const rng = new Generator(0);
 * model.forward(affineDigits(images, rng, { maxRotation: 10, maxScale: 0.1, maxShift: 2 })); // [B, 1, 28, 28]
 */
export function affineDigits(images: Tensor, rng: Generator, options?: AffineOptions): Tensor {
  const { maxRotation = 10, maxScale = 0.1, maxShift = 2 } = checkOptions("affineDigits", options, { maxRotation: true, maxScale: true, maxShift: true });
  if (!(images instanceof Tensor)) throw new Error(`affineDigits: expected float32 images [B, C, H, W] as a Tensor, got ${describeValue(images)}`);
  if (!(rng instanceof Generator)) throw new Error(`affineDigits: expected a seeded Generator (new Generator(seed)) as 'rng', got ${describeValue(rng)}`);
  if (images.shape.length !== 4 || images.dtype !== "float32") {
    throw new Error(`affineDigits: expected float32 images [B, C, H, W], got ${images.dtype} [${images.shape.join(", ")}]`);
  }
  const [B, C, H, W] = images.shape as [number, number, number, number];
  const check = (name: string, v: number, max: number, unit: string) => {
    if (!Number.isFinite(v) || v < 0 || v > max) throw new Error(`affineDigits: ${name} must be a number in [0, ${max}] (${unit}), got ${v}`);
  };
  check("maxRotation", maxRotation, 180, "degrees");
  check("maxScale", maxScale, 0.5, "relative");
  check("maxShift", maxShift, Math.min(H, W) / 2, `pixels, for ${H}×${W} images`);
  const uniform = (r: number): number => r * (2 * rng.nextFloat() - 1);
  const src = images.data as Float32Array;
  const dst = new Float32Array(src.length);
  for (let b = 0; b < B; b++) {
    const warp: Warp = { angle: (uniform(maxRotation) * Math.PI) / 180, scale: 1 + uniform(maxScale), dy: uniform(maxShift), dx: uniform(maxShift) };
    for (let c = 0; c < C; c++) warpInto(src, dst, (b * C + c) * H * W, H, W, warp);
  }
  return new Tensor(dst, [B, C, H, W], "float32");
}
