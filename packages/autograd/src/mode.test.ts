import { mul, tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { enableGrad, isGradEnabled, noGrad } from "./index.js";

describe("noGrad / enableGrad", () => {
  it("returns fn's result, nests, and restores the state even when fn throws", () => {
    const x = tensor([1]).requiresGrad_();
    expect(isGradEnabled()).toBe(true);
    const inner = noGrad(() => {
      expect(isGradEnabled()).toBe(false);
      const recorded = enableGrad(() => mul(x, 2));
      expect(noGrad(() => isGradEnabled())).toBe(false);
      expect(isGradEnabled()).toBe(false);
      return recorded;
    });
    expect(inner.requiresGrad).toBe(true);
    expect(() => noGrad(() => { throw new Error("boom"); })).toThrow("boom");
    expect(isGradEnabled()).toBe(true);
  });
});
