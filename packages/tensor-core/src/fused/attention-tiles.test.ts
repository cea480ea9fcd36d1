import { describe, expect, it } from "vitest";
import { accumulate, dotTile } from "./attention-tiles.js";

const seq = (n: number, f = 0.37): Float64Array => Float64Array.from({ length: n }, (_, i) => Math.sin(i * f + 1));

describe("attention tile products", () => {
  it("dotTile computes every row·row product, odd edges included", () => {
    const D = 5;
    const a = seq(7 * D);
    const b = seq(9 * D, 0.91);
    const out = new Float64Array(3 * 5);
    dotTile(a, 2, b, 3, 3, 5, D, out); // rows 2..4 of a against rows 3..7 of b
    for (let r = 0; r < 3; r++) {
      for (let c = 0; c < 5; c++) {
        let want = 0;
        for (let e = 0; e < D; e++) want += a[(2 + r) * D + e]! * b[(3 + c) * D + e]!;
        expect(out[r * 5 + c]).toBeCloseTo(want, 12);
      }
    }
  });

  it("accumulate adds weights · rows, plain and transposed, with a scale", () => {
    const D = 3, nx = 2, ny = 6;
    const w = seq(nx * ny, 0.5); // [nx, ny]
    const v = seq(10 * D, 0.7);
    const plain = new Float64Array(4 * D).fill(1);
    accumulate(plain, 1, w, ny, 1, v, 2, nx, ny, D, 0.5);
    const wT = Float64Array.from({ length: ny * nx }, (_, i) => w[(i % nx) * ny + Math.floor(i / nx)]!); // [ny, nx]
    const transposed = new Float64Array(4 * D).fill(1);
    accumulate(transposed, 1, wT, 1, nx, v, 2, nx, ny, D, 0.5);
    for (let x = 0; x < 4; x++) {
      for (let e = 0; e < D; e++) {
        let want = 1;
        if (x >= 1 && x < 1 + nx) for (let y = 0; y < ny; y++) want += 0.5 * w[(x - 1) * ny + y]! * v[(2 + y) * D + e]!;
        expect(plain[x * D + e]).toBeCloseTo(want, 12);
        expect(transposed[x * D + e]).toBeCloseTo(want, 12);
      }
    }
  });
});
