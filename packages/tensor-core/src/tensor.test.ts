import { describe, expect, it } from "vitest";
import { zeros } from "./create.js";

describe("Tensor.requiresGrad", () => {
  it("takes booleans only: requiresGrad_('no') threw nothing and left a truthy string", () => {
    expect(() => zeros([2]).requiresGrad_("no" as unknown as boolean)).toThrow("requiresGrad: expected a boolean, got string 'no' (tensor [2])");
    const t = zeros([2]);
    expect(() => { t.requiresGrad = 1 as unknown as boolean; }).toThrow("requiresGrad: expected a boolean, got number 1 (tensor [2])");
    expect(t.requiresGrad).toBe(false);
    expect(zeros([2]).requiresGrad_().requiresGrad).toBe(true);
  });
});
