import { describe, expect, it } from "vitest";
import { accuracyOf, confusionMatrix, formatConfusion, macroF1 } from "./classify-metrics.js";

describe("classification metrics (hand-made data)", () => {
  // targets 0 0 0 1 1 2, predictions 0 0 1 1 2 2; class 3 never occurs
  const confusion = confusionMatrix([0, 0, 1, 1, 2, 2], [0, 0, 0, 1, 1, 2], 4);

  it("counts true × predicted", () => {
    expect(confusion).toEqual([[2, 1, 0, 0], [0, 1, 1, 0], [0, 0, 1, 0], [0, 0, 0, 0]]);
    expect(accuracyOf(confusion)).toBeCloseTo(4 / 6, 12);
  });

  it("macro-F1 averages the per-class F1 over the classes that occur", () => {
    // class 0: TP 2, FN 1, FP 0 → 4/5; class 1: TP 1, FN 1, FP 1 → 2/4; class 2: TP 1, FN 0, FP 1 → 2/3
    expect(macroF1(confusion)).toBeCloseTo((4 / 5 + 2 / 4 + 2 / 3) / 3, 12);
    // a class that is predicted but never right counts as 0
    expect(macroF1(confusionMatrix([1, 1], [0, 0], 2))).toBe(0);
  });

  it("prints one row per class that occurs, with its recall", () => {
    const text = formatConfusion(confusion, ["a", "b", "c", "d"]);
    const lines = text.split("\n");
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/^1 a\s+2\s+1\s+\.\s+\.\s+3\s+67%$/);
  });

  it("refuses ids out of range and length mismatches", () => {
    expect(() => confusionMatrix([5], [0], 3)).toThrow(/confusionMatrix: class ids must be in 0..2, got target 0 and prediction 5 at 0/);
    expect(() => confusionMatrix([0], [], 3)).toThrow(/confusionMatrix/);
  });
});
