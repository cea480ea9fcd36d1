import { describe, expect, it } from "vitest";
import { confusionMatrix } from "../confusion.js";
import { accuracyOf, macroF1 } from "./classify-metrics.js";

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
});
