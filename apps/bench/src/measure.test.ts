import { describe, expect, it } from "vitest";
import { measureAlternating, median } from "./measure.js";

describe("median", () => {
  it("takes the middle value or the mean of the two middle values", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});

describe("measureAlternating", () => {
  it("warms up, then alternates engines until each meets the run minimum, and reports a throwing engine", async () => {
    const order: string[] = [];
    const entry = (id: string, fail = false) => ({
      id,
      run: (n: number, timed: boolean) => {
        order.push(`${id}${timed ? "" : "-warm"}`);
        if (fail) return Promise.reject(new Error(`${id} broke`));
        return Promise.resolve(Array.from({ length: n }, (_, i) => i + 1));
      },
    });
    const { times, errors } = await measureAlternating([entry("a"), entry("b"), entry("c", true)], { warmup: 1, minRuns: 5, minTimeMs: 0, batchMs: 0 });
    expect(errors.get("c")).toBe("c broke");
    expect(times.has("c")).toBe(false);
    expect(times.get("a")!.length).toBeGreaterThanOrEqual(5);
    expect(times.get("b")!.length).toBeGreaterThanOrEqual(5);
    // warm-up (a, b, c) first, then turns alternate: a, b, a, b, ...
    expect(order.slice(0, 7)).toEqual(["a-warm", "b-warm", "c-warm", "a", "b", "a", "b"]);
  });
});
