import "@heed/autograd";
import { Generator, tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { manualSeed } from "../random.js";
import { Dense, Linear } from "./linear.js";

describe("Linear", () => {
  it("has weight [out, in] and bias [out] drawn from U(−1/√in, 1/√in)", () => {
    const lin = new Linear(64, 300, { rng: new Generator(1) });
    expect(lin.weight.shape).toEqual([300, 64]);
    expect(lin.bias!.shape).toEqual([300]);
    const bound = 1 / 8;
    for (const p of [lin.weight, lin.bias!]) {
      const v = [...p.data];
      expect(Math.max(...v.map(Math.abs))).toBeLessThanOrEqual(bound);
      // uniform on (−b, b): mean ≈ 0, variance ≈ b²/3
      const mean = v.reduce((a, b) => a + b, 0) / v.length;
      const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length;
      expect(Math.abs(mean)).toBeLessThan(0.1 * bound);
      expect(variance / (bound * bound / 3)).toBeGreaterThan(p === lin.weight ? 0.95 : 0.8);
      expect(variance / (bound * bound / 3)).toBeLessThan(p === lin.weight ? 1.05 : 1.2);
    }
  });

  it("is reproducible from manualSeed or an explicit generator", () => {
    manualSeed(42);
    const a = new Linear(3, 2);
    manualSeed(42);
    const b = new Linear(3, 2);
    const c = new Linear(3, 2, { rng: new Generator(42) });
    expect([...a.weight.data]).toEqual([...b.weight.data]);
    expect([...a.weight.data]).toEqual([...c.weight.data]);
    expect([...a.bias!.data]).toEqual([...c.bias!.data]);
    expect([...new Linear(3, 2).weight.data]).not.toEqual([...a.weight.data]);
  });

  it("computes x·Wᵀ + b, supports no bias and float64, and is aliased as Dense", () => {
    const lin = new Linear(2, 1, { bias: false, dtype: "float64" });
    lin.weight.data.set([2, -1]);
    expect(lin.bias).toBeNull();
    expect(lin.namedParameters().map(([n]) => n)).toEqual(["weight"]);
    expect(lin.forward(tensor([[[1, 3]]], undefined, "float64")).toArray()).toEqual([[[-1]]]);
    expect(Dense).toBe(Linear);
    expect(new Dense(1, 1)).toBeInstanceOf(Linear);
  });

  it("validates sizes", () => {
    expect(() => new Linear(-1, 2)).toThrow(/Linear: inFeatures must be a non-negative integer, got -1/);
  });
});
