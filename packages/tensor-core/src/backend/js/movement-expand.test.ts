import { describe, expect, it, vi } from "vitest";
import { Tensor } from "../../tensor.js";
import { movementKernels } from "./movement.js";
import * as walker from "./movement-walk.js";

vi.mock("./movement-walk.js", { spy: true });

describe("expand of one value", () => {
  it("fills the output in one pass (no walk over its rows), for every dtype", () => {
    vi.mocked(walker.walk).mockClear();
    const cases: [Tensor, number][] = [
      [new Tensor(new Float32Array([0.25]), [], "float32"), 0.25],
      [new Tensor(new Float64Array([-3.5]), [1, 1], "float64"), -3.5],
      [new Tensor(new Int32Array([7]), [1], "int32"), 7],
      [new Tensor(new Uint8Array([1]), [1, 1, 1], "bool"), 1],
    ];
    for (const [x, value] of cases) {
      const out = movementKernels.expand([x], { shape: [4, 3, 5] });
      expect(out.shape).toEqual([4, 3, 5]);
      expect(out.dtype).toBe(x.dtype);
      expect(Array.from(out.data as ArrayLike<number>)).toEqual(new Array(60).fill(value));
    }
    // before: one callback per output row (12 here; 1,024 for a [16, 64, 128] mean's gradient)
    expect(walker.walk).not.toHaveBeenCalled();
  });

  it("still repeats a row through the walk", () => {
    vi.mocked(walker.walk).mockClear();
    const out = movementKernels.expand([new Tensor(new Float32Array([1, 2]), [1, 2], "float32")], { shape: [3, 2] });
    expect(Array.from(out.data as Float32Array)).toEqual([1, 2, 1, 2, 1, 2]);
    expect(walker.walk).toHaveBeenCalledTimes(1);
  });
});
