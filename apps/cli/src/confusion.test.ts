import { describe, expect, it } from "vitest";
import { formatConfusion } from "./confusion.js";

describe("formatConfusion", () => {
  it("prints counts[true][predicted] with each row's share right", () => {
    expect(formatConfusion({ labels: ["0", "1"], counts: [[9, 1], [0, 10]] })).toBe(
      ["true\\pred   0   1  right", "        0   9   1  90.0%", "        1   0  10 100.0%"].join("\n"),
    );
    expect(formatConfusion({ labels: ["a"], counts: [[0]] }).split("\n")[1]).toBe("        a   0      -");
  });
});
