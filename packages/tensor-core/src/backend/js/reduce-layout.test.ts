import { describe, expect, it } from "vitest";
import { Tensor } from "../../tensor.js";
import { reducedShape, reduceLayout } from "./reduce-layout.js";

describe("reduceLayout", () => {
  const x = new Tensor(Float32Array.from({ length: 24 }, (_, i) => i), [2, 3, 4]);

  it("views contiguous axis blocks as [outer, R, inner] without copying", () => {
    expect(reduceLayout(x, [1], false)).toMatchObject({ outer: 2, R: 3, inner: 4, outShape: [2, 4] });
    expect(reduceLayout(x, [1, 2], true)).toMatchObject({ outer: 2, R: 12, inner: 1, outShape: [2, 1, 1] });
    expect(reduceLayout(x, [0, 1, 2], false)).toMatchObject({ outer: 1, R: 24, inner: 1, outShape: [] });
    expect(reduceLayout(x, [], false)).toMatchObject({ outer: 24, R: 1, inner: 1, outShape: [2, 3, 4] });
    expect(reduceLayout(x, [1], false).data).toBe(x.data);
  });

  it("moves non-contiguous axes to the end", () => {
    const L = reduceLayout(x, [0, 2], false);
    expect(L).toMatchObject({ outer: 3, R: 8, inner: 1, outShape: [3] });
    // row j (the kept axis) holds x[a, j, c] for a, c in order
    expect(Array.from(L.data.subarray(8, 16))).toEqual([4, 5, 6, 7, 16, 17, 18, 19]);
  });

  it("computes reduced shapes with and without kept dimensions", () => {
    expect(reducedShape([2, 0, 3], [1], false)).toEqual([2, 3]);
    expect(reducedShape([2, 0, 3], [0, 2], true)).toEqual([1, 0, 1]);
  });
});
