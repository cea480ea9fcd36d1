import "@heed/autograd";
import { gradCheck } from "@heed/autograd";
import { tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { randn64 } from "../../test/utils.js";
import { binaryCrossEntropyWithLogits } from "./bce-with-logits.js";
import { logSigmoid } from "./log-sigmoid.js";

const f64 = (v: number[][]) => tensor(v, undefined, "float64");

describe("binaryCrossEntropyWithLogits", () => {
  const x = f64([[-2, 0.5, 3], [300, -300, 0]]);
  const y = f64([[0, 1, 1], [0, 1, 0.5]]);

  it("matches literal values (computed independently with numpy), stable at ±300", () => {
    const none = binaryCrossEntropyWithLogits(x, y, { reduction: "none" });
    expect(none).toBeAllclose([0.126928011042973, 0.474076984180107, 0.048587351573742, 300, 300, 0.693147180559945], { rtol: 1e-12, atol: 1e-14 });
    const full = binaryCrossEntropyWithLogits(x, y, { weight: tensor([1, 2, 0.5], undefined, "float64"), posWeight: tensor([3, 1, 0.25], undefined, "float64") });
    expect(full.item()).toBeCloseTo(150.2162939820458, 11);
    expect(binaryCrossEntropyWithLogits(x, y, { posWeight: tensor([3, 1, 0.25], undefined, "float64"), reduction: "sum" }).item()).toBeCloseTo(601.0463688209664, 10);
    expect(binaryCrossEntropyWithLogits(tensor([300, -300]), tensor([1, 0])).item()).toBe(0);
  });

  it("has correct gradients for input and target, with weight and posWeight", () => {
    const r = gradCheck(
      (a, b, w, pw) => binaryCrossEntropyWithLogits(a, b, { weight: w, posWeight: pw }),
      [randn64([3, 4], 1, 3), randn64([3, 4], 2), randn64([4], 3), randn64([4], 4)],
    );
    expect(r.ok, JSON.stringify(r)).toBe(true);
    const r2 = gradCheck((a) => binaryCrossEntropyWithLogits(a, f64([[1, 0, 1, 0]]), { reduction: "sum" }), [f64([[0, 0, 12, -12]])]);
    expect(r2.ok, JSON.stringify(r2)).toBe(true);
  });

  it("requires matching shapes", () => {
    expect(() => binaryCrossEntropyWithLogits(x, tensor([1, 0]))).toThrow(/binaryCrossEntropyWithLogits: target shape \[2\] must equal input shape \[2,3\]/);
  });
});

describe("logSigmoid", () => {
  it("is finite and accurate at the extremes and 0", () => {
    expect(logSigmoid(tensor([-300, 0, 300, 40], undefined, "float64"))).toBeAllclose([-300, -Math.LN2, -Math.exp(-300), -Math.exp(-40)], { rtol: 1e-12, atol: 0 });
  });
  it("has the gradient σ(−x), also at x = 0", () => {
    const r = gradCheck((a) => logSigmoid(a), [f64([[0, -3, 5, 1e-3]])]);
    expect(r.ok, JSON.stringify(r)).toBe(true);
  });
});
