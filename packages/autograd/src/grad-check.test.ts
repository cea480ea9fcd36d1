import { add, mul, run, sin, sum, tensor, type Tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { normal } from "../test/helpers.js";
import { customVjp, gradCheck } from "./index.js";

describe("gradCheck", () => {
  it("accepts a correct gradient and reports tiny errors", () => {
    const r = gradCheck((x, y) => mul(sin(x), y), [normal([2, 3], 1), normal([3], 2)]);
    expect(r.ok).toBe(true);
    expect(r.maxAbsError).toBeLessThan(1e-7);
    expect(r.worst?.input).toBeGreaterThanOrEqual(0);
  });

  it("catches a wrong gradient and names the worst element", () => {
    // d(x²) = 2x, but this backward adds 0.5 at element 1
    const wrong = customVjp((x: Tensor) => ({ output: mul(x, x), saved: x }), (x, g) => [mul(g, add(mul(x, 2), tensor([0, 0.5, 0], undefined, "float64")))]);
    const r = gradCheck(wrong, [tensor([1, -3, 2])]);
    expect(r.ok).toBe(false);
    expect(r.worst?.input).toBe(0);
    expect(r.worst?.index).toBe(1);
    expect(r.worst!.analytic / r.worst!.numeric).toBeCloseTo(5.5 / 6, 6);
    expect(r.maxRelError).toBeCloseTo(0.5 / 6, 6);
  });

  it("passes int inputs through unchanged and checks only float inputs", () => {
    const idx = tensor([1, 1, 0], undefined, "int32");
    const r = gradCheck((x, i) => run("gather", [x, i], { axis: 0 }), [normal([2, 2], 3), idx]);
    expect(r.ok).toBe(true);
  });

  it("works on float32 inputs by converting to float64", () => {
    expect(gradCheck((x) => sum(sin(x)), [tensor([0.1, 0.2])]).ok).toBe(true);
  });
});

