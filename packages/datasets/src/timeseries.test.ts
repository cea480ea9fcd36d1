import { describe, expect, it } from "vitest";
import { TIME_SERIES } from "./timeseries.js";

describe("TIME_SERIES", () => {
  it("lists its sources with files, columns and licences", () => {
    expect(Object.keys(TIME_SERIES)).toEqual(["co2", "co2-adjusted", "global-temp", "seattle-temp-max", "sp500"]);
    for (const s of Object.values(TIME_SERIES)) {
      expect(s.file).toMatch(/\.csv$/);
      expect(s.licence.length).toBeGreaterThan(0);
    }
  });
});
