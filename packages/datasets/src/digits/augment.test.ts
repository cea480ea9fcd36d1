import { Generator, Tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { shiftDigits } from "./augment.js";

/** B images [B, 1, 4, 4] holding 1..16 each. */
const ramp = (B: number): Tensor => new Tensor(Float32Array.from({ length: B * 16 }, (_, i) => (i % 16) + 1), [B, 1, 4, 4], "float32");

describe("shiftDigits", () => {
  it("moves each image by its own seeded (dy, dx) and fills with 0", () => {
    const x = ramp(6);
    const out = shiftDigits(x, new Generator(3), { maxShift: 1 });
    expect(out.shape).toEqual([6, 1, 4, 4]);
    const rng = new Generator(3);
    for (let b = 0; b < 6; b++) {
      const dy = rng.nextInt(-1, 2), dx = rng.nextInt(-1, 2);
      for (let y = 0; y < 4; y++) {
        for (let xx = 0; xx < 4; xx++) {
          const sy = y - dy, sx = xx - dx;
          const want = sy >= 0 && sy < 4 && sx >= 0 && sx < 4 ? sy * 4 + sx + 1 : 0;
          expect(out.data[b * 16 + y * 4 + xx]).toBe(want);
        }
      }
    }
    expect(Array.from(x.data.subarray(0, 16))).toEqual(Array.from({ length: 16 }, (_, i) => i + 1)); // input unchanged
  });

  it("gives the same bits for the same seed, and maxShift 0 is the identity", () => {
    const x = ramp(8);
    expect(shiftDigits(x, new Generator(9)).data).toEqual(shiftDigits(x, new Generator(9)).data);
    expect(Array.from(shiftDigits(x, new Generator(1), { maxShift: 0 }).data)).toEqual(Array.from(x.data));
  });

  it("rejects other shapes and bad shifts", () => {
    expect(() => shiftDigits(new Tensor(new Float32Array(16), [4, 4], "float32"), new Generator(0))).toThrow("shiftDigits: expected float32 images [B, C, H, W], got float32 [4, 4]");
    expect(() => shiftDigits(ramp(1), new Generator(0), { maxShift: 4 })).toThrow("shiftDigits: maxShift must be an integer in [0, 3] for 4×4 images, got 4");
  });
});
