import { describe, expect, it } from "vitest";
import { walk } from "./movement-walk.js";

describe("walk", () => {
  it("visits every multi-index in row-major order with both offsets", () => {
    const seen: [number, number][] = [];
    walk([2, 3], [1, 10], [100, 1000], (i, o) => seen.push([i, o]));
    expect(seen).toEqual([
      [0, 0], [10, 1000], [20, 2000],
      [1, 100], [11, 1100], [21, 2100],
    ]);
  });

  it("visits once for no dimensions and never for a size-0 dimension", () => {
    let n = 0;
    walk([], [], [], () => n++);
    expect(n).toBe(1);
    walk([3, 0, 2], [1, 1, 1], [1, 1, 1], () => n++);
    expect(n).toBe(1);
  });
});
