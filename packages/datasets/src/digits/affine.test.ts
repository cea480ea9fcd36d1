import { Generator, Tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { affineDigits, warpImage, type Warp } from "./affine.js";

/** B images [B, 1, 5, 5] holding 1..25 each. */
const ramp = (B: number): Tensor => new Tensor(Float32Array.from({ length: B * 25 }, (_, i) => (i % 25) + 1), [B, 1, 5, 5], "float32");
const warp = (w: Partial<Warp>): number[] => {
  const dst = new Float32Array(25);
  warpImage(ramp(1).data as Float32Array, dst, 0, 5, 5, { angle: 0, scale: 1, dy: 0, dx: 0, ...w });
  return Array.from(dst, (v) => Math.round(v * 1e4) / 1e4);
};
const grid = (f: (y: number, x: number) => number): number[] => Array.from({ length: 25 }, (_, i) => f(Math.floor(i / 5), i % 5));

describe("warpImage", () => {
  it("is the identity for no transform and moves by whole pixels exactly, filling with 0", () => {
    expect(warp({})).toEqual(grid((y, x) => y * 5 + x + 1));
    expect(warp({ dy: 1, dx: -2 })).toEqual(grid((y, x) => (y - 1 >= 0 && x + 2 < 5 ? (y - 1) * 5 + x + 2 + 1 : 0)));
  });

  it("turns by 90° about the centre (clockwise on screen) and interpolates half-pixel moves", () => {
    // output (y, x) reads source (row 4 − x, column y)
    expect(warp({ angle: Math.PI / 2 })).toEqual(grid((y, x) => (4 - x) * 5 + y + 1));
    // half a pixel right: the mean of a pixel and its left neighbour (0 outside)
    expect(warp({ dx: 0.5 })).toEqual(grid((y, x) => ((x > 0 ? y * 5 + x : 0) + y * 5 + x + 1) / 2));
    // twice the size: the centre pixel stays, its neighbours read half-way towards it
    const big = warp({ scale: 2 });
    expect([big[12], big[13], big[7]]).toEqual([13, 13.5, 10.5]);
  });
});

describe("warpImage checks its arguments", () => {
  const img = () => new Float32Array(25);
  const id: Warp = { angle: 0, scale: 1, dy: 0, dx: 0 };
  it("names the argument, what it expects and what it got", () => {
    expect(() => warpImage([1, 2] as unknown as Float32Array, img(), 0, 5, 5, id)).toThrow("warpImage: expected 'src' to be a Float32Array, got an array [1, 2]");
    expect(() => warpImage(img(), new Float64Array(25) as unknown as Float32Array, 0, 5, 5, id)).toThrow("warpImage: expected 'dst' to be a Float32Array, got a Float64Array");
    expect(() => warpImage(img(), img(), -1, 5, 5, id)).toThrow("warpImage: expected 'offset' to be an integer >= 0, got -1");
    expect(() => warpImage(img(), img(), 0, 2.5, 5, id)).toThrow("warpImage: expected 'H' to be an integer, got number 2.5");
    expect(() => warpImage(img(), img(), 0, 5, 0, id)).toThrow("warpImage: expected 'W' to be an integer >= 1, got 0");
    expect(() => warpImage(img(), new Float32Array(24), 0, 5, 5, id)).toThrow("warpImage: 'dst' holds 24 values, but offset 0 + 5×5 needs 25");
    expect(() => warpImage(img(), img(), 1, 5, 5, id)).toThrow("warpImage: 'src' holds 25 values, but offset 1 + 5×5 needs 26");
  });

  it("rejects a warp in place, a bad warp, and scale <= 0 (which gave NaN or Infinity pixels)", () => {
    const a = new Float32Array(50);
    expect(() => warpImage(a, a, 0, 5, 5, id)).toThrow(/^warpImage: 'src' and 'dst' share the image's memory/);
    expect(() => warpImage(a.subarray(0, 25), a.subarray(10, 35), 0, 5, 5, id)).toThrow(/share the image's memory/);
    warpImage(a.subarray(0, 25), a.subarray(25), 0, 5, 5, id); // two halves of one buffer: fine
    expect(() => warpImage(img(), img(), 0, 5, 5, { angle: 0, scale: 1, dy: 0 } as Warp)).toThrow("warpImage: expected 'warp.dx' to be a finite number, got undefined");
    expect(() => warpImage(img(), img(), 0, 5, 5, { ...id, rotation: 1 } as Warp)).toThrow("warpImage: unknown option 'rotation' (accepted options: angle, scale, dy, dx)");
    expect(() => warpImage(img(), img(), 0, 5, 5, { ...id, dy: Number.NaN })).toThrow("warpImage: expected 'warp.dy' to be a finite number, got number NaN");
    expect(() => warpImage(img(), img(), 0, 5, 5, { ...id, scale: 0 })).toThrow("warpImage: expected 'warp.scale' > 0, got 0");
    expect(() => warpImage(img(), img(), 0, 5, 5, null as unknown as Warp)).toThrow("warpImage: expected 'warp' as { angle, scale, dy, dx }, got null");
  });
});

describe("affineDigits", () => {
  it("warps each image by its own seeded draws (angle, scale, dy, dx) and leaves the input unchanged", () => {
    const x = ramp(3);
    const out = affineDigits(x, new Generator(4), { maxRotation: 20, maxScale: 0.2, maxShift: 1 });
    expect(out.shape).toEqual([3, 1, 5, 5]);
    const rng = new Generator(4);
    const u = (r: number) => r * (2 * rng.nextFloat() - 1);
    for (let b = 0; b < 3; b++) {
      const w: Warp = { angle: (u(20) * Math.PI) / 180, scale: 1 + u(0.2), dy: u(1), dx: u(1) };
      const want = new Float32Array(75);
      warpImage(x.data as Float32Array, want, b * 25, 5, 5, w);
      expect(Array.from(out.data.subarray(b * 25, b * 25 + 25))).toEqual(Array.from(want.subarray(b * 25, b * 25 + 25)));
    }
    expect(Array.from(x.data.subarray(0, 25))).toEqual(grid((y, xx) => y * 5 + xx + 1));
    expect(Array.from(out.data.subarray(0, 25))).not.toEqual(Array.from(x.data.subarray(0, 25)));
  });

  it("gives the same bits for the same seed; all ranges 0 is the identity", () => {
    const x = ramp(4);
    expect(affineDigits(x, new Generator(9)).data).toEqual(affineDigits(x, new Generator(9)).data);
    expect(Array.from(affineDigits(x, new Generator(1), { maxRotation: 0, maxScale: 0, maxShift: 0 }).data)).toEqual(Array.from(x.data));
  });

  it("rejects other shapes and bad ranges", () => {
    expect(() => affineDigits(new Tensor(new Float32Array(25), [5, 5], "float32"), new Generator(0))).toThrow("affineDigits: expected float32 images [B, C, H, W], got float32 [5, 5]");
    expect(() => affineDigits(ramp(1), new Generator(0), { maxRotation: -1 })).toThrow("affineDigits: maxRotation must be a number in [0, 180] (degrees), got -1");
    expect(() => affineDigits(ramp(1), new Generator(0), { maxScale: Number.NaN })).toThrow("affineDigits: maxScale must be a number in [0, 0.5] (relative), got NaN");
    expect(() => affineDigits(ramp(1), new Generator(0), { maxShift: 3 })).toThrow("affineDigits: maxShift must be a number in [0, 2.5] (pixels, for 5×5 images), got 3");
  });
});
