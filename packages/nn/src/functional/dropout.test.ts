import "@heed/autograd";
import { gradCheck } from "@heed/autograd";
import { Generator, mul, ones, tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { randn64 } from "../../test/utils.js";
import { dropout } from "./dropout.js";

describe("dropout", () => {
  it("zeroes about p of the elements and scales the rest by 1/(1 − p)", () => {
    const y = dropout(ones([100, 100]), 0.3, true, new Generator(1));
    const kept = [...y.data].filter((v) => v !== 0);
    expect(new Set(kept)).toEqual(new Set([Math.fround(1 / 0.7)]));
    expect(Math.abs(kept.length / 10000 - 0.7)).toBeLessThan(0.02);
  });

  it("is reproducible from the seed", () => {
    const a = dropout(ones([50]), 0.5, true, new Generator(7));
    const b = dropout(ones([50]), 0.5, true, new Generator(7));
    expect([...a.data]).toEqual([...b.data]);
  });

  it("is the identity outside training or with p = 0, and gives zeros with p = 1", () => {
    const x = tensor([1, 2, 3]);
    expect(dropout(x, 0.5, false)).toBe(x);
    expect(dropout(x, 0, true)).toBe(x);
    expect([...dropout(x, 1, true, new Generator(0)).data]).toEqual([0, 0, 0]);
  });

  it("equals its composition x · factors (the factors being dropout of ones with the same seed)", () => {
    const x = randn64([6, 7], 2);
    for (const dtype of ["float64", "float32"] as const) {
      const xt = dtype === "float64" ? x : tensor([...x.data], x.shape, "float32");
      const y = dropout(xt, 0.25, true, new Generator(5));
      const factors = dropout(ones(x.shape, dtype), 0.25, true, new Generator(5));
      expect([...y.data]).toEqual([...mul(xt, factors).data]);
    }
  });

  it("passes gradients through the kept elements only", () => {
    const r = gradCheck((x) => dropout(x, 0.4, true, new Generator(3)), [randn64([4, 5], 1)]);
    expect(r.ok, JSON.stringify(r)).toBe(true);
  });

  it("validates p", () => {
    expect(() => dropout(ones([2]), 1.5)).toThrow(/dropout: probability p must be in \[0, 1\], got 1.5 \(x: \[2\]\)/);
  });
});
