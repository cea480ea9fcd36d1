import { describe, expect, it } from "vitest";
import { zeros } from "./create.js";
import { Tensor } from "./tensor.js";

describe("Tensor.requiresGrad", () => {
  it("takes booleans only: requiresGrad_('no') threw nothing and left a truthy string", () => {
    expect(() => zeros([2]).requiresGrad_("no" as unknown as boolean)).toThrow("requiresGrad: expected a boolean, got string 'no' (tensor [2])");
    const t = zeros([2]);
    expect(() => { t.requiresGrad = 1 as unknown as boolean; }).toThrow("requiresGrad: expected a boolean, got number 1 (tensor [2])");
    expect(t.requiresGrad).toBe(false);
    expect(zeros([2]).requiresGrad_().requiresGrad).toBe(true);
  });
});

describe("new Tensor checks its data", () => {
  it("a JavaScript array (became a bool tensor holding 1, 2 silently) or other non-typed-array names Tensor and points to tensor()", () => {
    expect(() => new Tensor([1, 2] as unknown as Float32Array, [2])).toThrow("Tensor: expected the data as a Float32Array, Float64Array, Int32Array or Uint8Array (bool), got an array [1, 2]; for a JavaScript array use tensor(values, shape, dtype)");
    expect(() => new Tensor(undefined as unknown as Float32Array, [0])).toThrow(/^Tensor: expected the data as a Float32Array, .*got undefined$/);
    expect(new Tensor(new Uint8Array([1, 0]), [2]).dtype).toBe("bool");
  });
});
