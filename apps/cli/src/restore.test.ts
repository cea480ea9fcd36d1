import { describe, expect, it } from "vitest";
import { checkBeam } from "./restore.js";

describe("checkBeam", () => {
  it("names the command that was given --beam", () => {
    expect(() => checkBeam("seed", 2, "eval")).toThrow("eval: --beam applies to g2p and translate (beam-search decoding), not to 'seed'");
    expect(() => checkBeam("digits", 2)).toThrow(/^predict: --beam/);
    expect(checkBeam("g2p", 3, "eval")).toBe(3);
  });
});
