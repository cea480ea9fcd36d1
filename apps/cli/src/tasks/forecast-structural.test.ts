import { makeWindows } from "@heed/data";
import { tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { forecastRows } from "./forecast.js";
import { STRUCTURAL_FIT, structuralForecast, structuralWeights } from "./forecast-structural.js";

/** A hand-made monthly series: quadratic trend + two annual harmonics (what the default fit can represent exactly). */
const seasonalQuadratic = (i: number): number => 300 + 0.1 * i + 0.002 * i * i + 3 * Math.sin((2 * Math.PI * i) / 12) + Math.cos((4 * Math.PI * i) / 12 + 0.5);

const forecastOf = (window: readonly number[], w: Float64Array): number => window.reduce((s, v, t) => s + v * w[t]!, 0);

describe("structuralWeights", () => {
  it("continues a straight line and a trend + harmonics series one month exactly; the weights sum to 1", () => {
    const line = structuralWeights(24, { degree: 1, harmonics: 0 });
    expect(forecastOf(Array.from({ length: 24 }, (_, t) => 5 + 2 * t), line)).toBeCloseTo(5 + 2 * 24, 9);
    const w = structuralWeights(24);
    expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    for (const start of [0, 7, 100]) {
      const window = Array.from({ length: 24 }, (_, t) => seasonalQuadratic(start + t));
      expect(forecastOf(window, w)).toBeCloseTo(seasonalQuadratic(start + 24), 6);
    }
  });

  it("a fit without the second harmonic misses it (the fit is what it says)", () => {
    const window = Array.from({ length: 24 }, (_, t) => seasonalQuadratic(t));
    const err = Math.abs(forecastOf(window, structuralWeights(24, { degree: 2, harmonics: 1 })) - seasonalQuadratic(24));
    expect(err).toBeGreaterThan(0.1);
  });

  it("refuses a window no longer than the fit's regressors", () => {
    expect(() => structuralWeights(7, STRUCTURAL_FIT)).toThrow("structuralWeights: expected a window longer than the fit's 7 regressors (integer degree and harmonics ≥ 0), got window 7, degree 2, harmonics 2");
    expect(() => structuralWeights(24, { degree: 1.5, harmonics: 1 })).toThrow(/got window 24, degree 1.5, harmonics 1/);
  });
});

describe("structuralForecast", () => {
  it("is the weights' sum over each window [B, W] → [B, 1]", () => {
    const w = structuralWeights(24);
    const a = Array.from({ length: 24 }, (_, t) => seasonalQuadratic(t) - 300);
    const b = Array.from({ length: 24 }, (_, t) => Math.sin(t));
    const out = structuralForecast(tensor([a, b]), w);
    expect(out.shape).toEqual([2, 1]);
    expect(out.data[0]).toBeCloseTo(forecastOf(a, w), 3);
    expect(out.data[1]).toBeCloseTo(forecastOf(b, w), 4);
    expect(() => structuralForecast(tensor([[1, 2, 3]]), w)).toThrow("structuralForecast: expected windows [B, 24], got shape [1, 3]");
  });

  it("reads no month at or after the forecast month: changing later values leaves each window's feature as it was", () => {
    const values = Array.from({ length: 80 }, (_, i) => seasonalQuadratic(i) + 0.3 * Math.sin(7 * i));
    const changed = values.map((v, i) => (i >= 50 ? v + 10 * Math.cos(i) : v));
    const features = (series: number[]) => {
      const win = makeWindows(series, { window: 24, normalize: false, testFraction: 0 });
      return structuralForecast(forecastRows(win.train, { window: 24, mean: 0, std: 1, step: 1 }).x, structuralWeights(24)).data;
    };
    const [before, after] = [features(values), features(changed)];
    // window k reads months k … k+23 and forecasts month k+24: windows 0 … 26 forecast months up to 50
    for (let k = 0; k <= 26; k++) expect(after[k]).toBe(before[k]);
    expect(after[27]).not.toBe(before[27]);
  });
});
