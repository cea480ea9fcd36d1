import { describe, expect, it } from "vitest";
import { agree } from "./compare.js";

const tol = { rtol: 1e-3, atol: 1e-4 };
const f = (...v: number[]) => new Float32Array(v);

describe("agree", () => {
  it("accepts equal outputs and small relative noise", () => {
    expect(agree([f(1, 2, 3)], [f(1, 2, 3)], tol)).toEqual({ ok: true, maxErr: 0, detail: "" });
    const r = agree([f(1.0005, 100)], [f(1, 100)], tol);
    expect(r.ok).toBe(true);
    expect(r.maxErr).toBeCloseTo(0.0005 / 100, 8);
  });

  it("rejects a wrong value and names the element", () => {
    const r = agree([f(1, 2, 3.1)], [f(1, 2, 3)], tol);
    expect(r.ok).toBe(false);
    expect(r.detail).toContain("output 0[2]");
  });

  it("rejects mismatched counts, lengths and NaN against a number", () => {
    expect(agree([f(1)], [f(1), f(2)], tol).ok).toBe(false);
    expect(agree([f(1, 2)], [f(1)], tol).ok).toBe(false);
    expect(agree([f(NaN)], [f(1)], tol).ok).toBe(false);
    expect(agree([f(NaN, 1)], [f(NaN, 1)], tol).ok).toBe(true);
  });

  it("scales the absolute tolerance by the reference's magnitude", () => {
    expect(agree([f(1e6, 0.5)], [f(1e6, 0)], tol).ok).toBe(true);
    expect(agree([f(1, 0.5)], [f(1, 0)], tol).ok).toBe(false);
  });
});
