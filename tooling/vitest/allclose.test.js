import { describe, expect, it } from "vitest";

// toBeAllclose is registered by setup.js (this package's own vitest config loads it like every package's).
describe("toBeAllclose", () => {
  it("passes within rtol/atol and fails past them, naming the worst element", () => {
    expect([1, 2, 3]).toBeAllclose(new Float64Array([1, 2.0001, 3]));
    expect(1e-6).toBeAllclose(0);
    expect(() => expect([1, 2, 3]).toBeAllclose([1, 2.01, 3.1])).toThrow(/2 of 3 elements off \(rtol 0\.0001, atol 0\.00001\); worst at index 2: got 3, expected 3\.1/);
    expect([1, 2.01]).toBeAllclose([1, 2], { rtol: 1e-2 });
    expect([1, 2.01]).not.toBeAllclose([1, 2]);
  });

  it("matches NaN only with NaN and an infinity only with itself", () => {
    expect([NaN, Infinity, -Infinity]).toBeAllclose([NaN, Infinity, -Infinity]);
    expect(() => expect([0]).toBeAllclose([NaN])).toThrow(/index 0: got 0, expected NaN/);
    expect(() => expect([NaN]).toBeAllclose([0])).toThrow(/index 0/);
    expect(() => expect([1e300]).toBeAllclose([Infinity])).toThrow(/index 0/);
  });

  it("compares tensors by data and shape, and rejects a length mismatch", () => {
    const t = (data, shape) => ({ data: Float32Array.from(data), shape });
    expect(t([1, 2], [2])).toBeAllclose(t([1, 2], [2]));
    expect(t([1, 2], [2])).toBeAllclose([1, 2]);
    expect(() => expect(t([1, 2], [1, 2])).toBeAllclose(t([1, 2], [2]))).toThrow(/shape \[1,2\] differs from the expected \[2\]/);
    expect(() => expect([1, 2]).toBeAllclose([1])).toThrow(/2 elements, expected 1/);
  });
});
