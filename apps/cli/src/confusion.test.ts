import { describe, expect, it } from "vitest";
import { confusionMatrix, formatConfusion } from "./confusion.js";

describe("confusionMatrix", () => {
  it("counts [true][predicted]", () => {
    expect(confusionMatrix([0, 0, 1, 1, 2, 2], [0, 0, 0, 1, 1, 2], 4)).toEqual([[2, 1, 0, 0], [0, 1, 1, 0], [0, 0, 1, 0], [0, 0, 0, 0]]);
  });

  it("refuses ids out of range and length mismatches", () => {
    expect(() => confusionMatrix([5], [0], 3)).toThrow(/confusionMatrix: class ids must be in 0..2, got target 0 and prediction 5 at 0/);
    expect(() => confusionMatrix([0], [], 3)).toThrow(/confusionMatrix: expected as many predictions as targets, got 1 and 0/);
  });
});

describe("formatConfusion", () => {
  it("prints counts[true][predicted] with each row's share right", () => {
    expect(formatConfusion({ labels: ["0", "1"], counts: [[9, 1], [0, 10]] })).toBe(
      ["true\\pred   0   1  right", "        0   9   1  90.0%", "        1   0  10 100.0%"].join("\n"),
    );
    // a class that is only predicted keeps its row (recall undefined); one that never occurs has none
    expect(formatConfusion({ labels: ["a", "b", "c"], counts: [[1, 1, 0], [0, 0, 0], [0, 0, 0]] }).split("\n").slice(1)).toEqual(["        a   1   1   0  50.0%", "        b   0   0   0      -"]);
  });

  it("numbers the columns of long class names and names each row", () => {
    const text = formatConfusion({ labels: ["smileys", "flags"], counts: [[3, 1], [0, 4]] });
    expect(text).toBe(["true\\pred   1   2  right", "1 smileys   3   1  75.0%", "2 flags     0   4 100.0%"].join("\n"));
  });
});
