import { describe, expect, it } from "vitest";
import { seasonalDrift, seasonalNaive } from "./forecast-baseline.js";

describe("seasonal baselines", () => {
  it("seasonal naive repeats the value one season back", () => {
    expect(seasonalNaive([10, 20, 30, 40], 3)).toBe(20);
  });

  it("seasonal drift adds the last season's change to it (hand-made series)", () => {
    // season 4, window 1..9 with a +1 trend and a +10 bump every 4th month
    const w = [1, 2, 3, 14, 5, 6, 7, 18, 9];
    // target index 9: y[5] + (y[8] - y[4]) = 6 + (9 - 5) = 10
    expect(seasonalDrift(w, 4)).toBe(10);
    // a linear trend with a repeating season is forecast exactly
    const series = Array.from({ length: 40 }, (_, t) => 0.5 * t + [0, 3, -1, 2][t % 4]!);
    expect(seasonalDrift(series.slice(0, 39), 4)).toBeCloseTo(series[39]!, 12);
    expect(seasonalNaive(series.slice(0, 39), 4)).toBeCloseTo(series[39]! - 2, 12);
  });

  it("refuses windows shorter than a season plus one", () => {
    expect(() => seasonalDrift([1, 2, 3], 3)).toThrow(/seasonalDrift: expected a window of at least season \+ 1 values, got 3 values with season 3/);
    expect(() => seasonalNaive([1, 2], 3)).toThrow(/seasonalNaive/);
  });
});
