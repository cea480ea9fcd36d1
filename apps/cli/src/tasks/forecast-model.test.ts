import { noGrad } from "@heed/autograd";
import { Generator, randn, tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { AttentionForecaster, seasonalDifference } from "./forecast-model.js";

const options = { window: 24, kind: "residual" as const, dModel: 8, heads: 2, layers: 1, dropout: 0 };

describe("seasonalDifference", () => {
  it("is x_t − x_{t−s} from position s on and 0 before", () => {
    expect(Array.from(seasonalDifference(tensor([[1, 2, 4, 7], [0, 1, 0, 1]]), 2).data)).toEqual([0, 0, 3, 5, 0, 0, 0, 0]);
    const x = randn([3, 24], new Generator(5));
    const d = seasonalDifference(x);
    expect(d.shape).toEqual([3, 24]);
    for (let b = 0; b < 3; b++) {
      for (let t = 0; t < 24; t++) {
        const want = t < 12 ? 0 : x.data[b * 24 + t]! - x.data[b * 24 + t - 12]!;
        expect(d.data[b * 24 + t]).toBeCloseTo(want, 6);
      }
    }
  });

  it("refuses windows no longer than the season and non-2-D input", () => {
    expect(() => seasonalDifference(tensor([[1, 2]]), 2)).toThrow(/seasonalDifference: expected windows \[B, W\] with W > season 2, got shape \[1, 2\]/);
    expect(() => seasonalDifference(tensor([1, 2, 3]), 1)).toThrow(/got shape \[3\]/);
  });
});

describe("AttentionForecaster seasonalDiff", () => {
  it("adds one token projection; the forecast moves with the seasonal difference's weights", () => {
    const plain = new AttentionForecaster({ ...options, rng: new Generator(1) });
    const seasonal = new AttentionForecaster({ ...options, rng: new Generator(1), seasonalDiff: true });
    expect(plain.seasonal).toBeNull();
    const extra = [...seasonal.stateDict().keys()].filter((k) => !plain.stateDict().has(k));
    expect(extra.sort()).toEqual(["seasonal.bias", "seasonal.weight"]);
    const x = randn([2, 24], new Generator(2));
    seasonal.eval();
    const before = noGrad(() => seasonal.forward(x)).data[0]!;
    seasonal.seasonal!.weight.data.fill(0.5);
    expect(noGrad(() => seasonal.forward(x)).data[0]).not.toBeCloseTo(before, 4);
  });

  it("refuses a window no longer than a season", () => {
    expect(() => new AttentionForecaster({ ...options, window: 12, rng: new Generator(1), seasonalDiff: true })).toThrow(/seasonalDiff needs a window longer than 12 months, got window 12/);
  });
});

describe("AttentionForecaster structural", () => {
  it("adds a forecast-month token carrying the structural forecast (one more position, no new weights)", () => {
    const plain = new AttentionForecaster({ ...options, rng: new Generator(1), seasonalDiff: true });
    const structural = new AttentionForecaster({ ...options, rng: new Generator(1), seasonalDiff: true, structural: true });
    expect(plain.structuralWeights).toBeNull();
    expect([...structural.stateDict().keys()]).toEqual([...plain.stateDict().keys()]);
    const x = randn([2, 24], new Generator(2));
    structural.eval();
    expect(structural.encode(x).h.shape).toEqual([2, 25, 8]);
    expect(plain.encode(x).h.shape).toEqual([2, 24, 8]);
    // the 25th token's value is the structural forecast: other weights give another forecast
    const before = noGrad(() => structural.forward(x)).data[0]!;
    structural.structuralWeights!.fill(0).set([1], 0);
    expect(noGrad(() => structural.forward(x)).data[0]).not.toBeCloseTo(before, 4);
  });
});
