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
  it("alternates engines, meets the run minimum and reports a throwing engine", async () => {
    const order: string[] = [];
    const entry = (id: string, fail = false) => ({
      id,
      activate: () => {
        order.push(id);
        return Promise.resolve();
      },
      run: () => {
        if (fail) throw new Error(`${id} broke`);
      },
      wasmBytes: () => (id === "a" ? 1024 : undefined),
    });
    const { stats, errors } = await measureAlternating([entry("a"), entry("b"), entry("c", true)], {
      warmup: 1,
      minRuns: 5,
      minTimeMs: 0,
      batchMs: 0,
    });
    expect(errors.get("c")).toBe("c broke");
    expect(stats.get("a")!.runs).toBeGreaterThanOrEqual(5);
    expect(stats.get("b")!.runs).toBeGreaterThanOrEqual(5);
    expect(stats.get("a")!.memory.wasm).toBe(1024);
    expect(stats.get("b")!.memory.wasm).toBeUndefined();
    expect(stats.get("a")!.minMs).toBeLessThanOrEqual(stats.get("a")!.medianMs);
    // after warm-up (a, b, c), turns alternate: a, b, a, b, ...
    expect(order.slice(3, 7)).toEqual(["a", "b", "a", "b"]);
  });
});
