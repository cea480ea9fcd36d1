import { describe, expect, it } from "vitest";
import { useColor } from "./reporter.js";

describe("useColor", () => {
  it("colours a terminal, never a pipe or file, even when CI is set", () => {
    expect(useColor({}, true)).toBe(true);
    expect(useColor({}, false)).toBe(false);
    expect(useColor({ CI: "1" }, false)).toBe(false);
    expect(useColor({ TERM: "dumb" }, true)).toBe(false);
  });
  it("follows NO_COLOR and FORCE_COLOR", () => {
    expect(useColor({ NO_COLOR: "1" }, true)).toBe(false);
    expect(useColor({ FORCE_COLOR: "1" }, false)).toBe(true);
    expect(useColor({ FORCE_COLOR: "0" }, true)).toBe(false);
    expect(useColor({ FORCE_COLOR: "0", NO_COLOR: "1" }, true)).toBe(false);
  });
});
