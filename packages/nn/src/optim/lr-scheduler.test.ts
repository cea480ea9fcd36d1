import { tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { Parameter } from "../module/parameter.js";
import { CosineAnnealingLR, ExponentialLR, LambdaLR, LinearLR, LinearWarmup, NoamLR, StepLR, warmupCosine, warmupInverseSqrt, type LRScheduler } from "./lr-scheduler.js";
import { SGD } from "./sgd.js";

const opt = (lr = 1): SGD => new SGD([new Parameter(tensor([0]))], { lr });

function lrs(s: LRScheduler, n: number): number[] {
  const out = [s.optimizer.lr];
  for (let i = 1; i < n; i++) {
    s.step();
    out.push(s.optimizer.lr);
  }
  return out;
}

const close = (got: number[], want: number[]): void => got.forEach((x, i) => expect(x).toBeCloseTo(want[i]!, 12));

describe("learning-rate schedules", () => {
  it("StepLR decays by gamma every stepSize epochs", () => close(lrs(new StepLR(opt(0.1), { stepSize: 2, gamma: 0.5 }), 6), [0.1, 0.1, 0.05, 0.05, 0.025, 0.025]));

  it("ExponentialLR", () => close(lrs(new ExponentialLR(opt(2), { gamma: 0.5 }), 3), [2, 1, 0.5]));

  it("CosineAnnealingLR follows the closed form down to etaMin and back up", () => {
    close(lrs(new CosineAnnealingLR(opt(1), { tMax: 4, etaMin: 0.2 }), 9), [1, 0.2 + 0.4 * (1 + Math.SQRT1_2), 0.6, 0.2 + 0.4 * (1 - Math.SQRT1_2), 0.2, 0.2 + 0.4 * (1 - Math.SQRT1_2), 0.6, 0.2 + 0.4 * (1 + Math.SQRT1_2), 1]);
  });

  it("LinearLR uses torch's defaults (1/3 → 1 over 5 iterations)", () => close(lrs(new LinearLR(opt(0.3)), 7), [0.1, 0.14, 0.18, 0.22, 0.26, 0.3, 0.3]));

  it("LinearWarmup reaches the base lr at step warmupSteps − 1", () => close(lrs(new LinearWarmup(opt(0.4), 4), 6), [0.1, 0.2, 0.3, 0.4, 0.4, 0.4]));

  it("LambdaLR with warmupInverseSqrt peaks at 1 and decays as 1/√n", () => {
    close(lrs(new LambdaLR(opt(2), warmupInverseSqrt(4)), 9), [0.5, 1, 1.5, 2, 2 * Math.sqrt(4 / 5), 2 * Math.sqrt(4 / 6), 2 * Math.sqrt(4 / 7), 2 * Math.sqrt(4 / 8), 2 * Math.sqrt(4 / 9)]);
  });

  it("NoamLR is the paper's formula", () => {
    const got = lrs(new NoamLR(opt(123), { dModel: 64, warmupSteps: 10, factor: 2 }), 20);
    got.forEach((lr, e) => expect(lr).toBeCloseTo(2 * 64 ** -0.5 * Math.min((e + 1) ** -0.5, (e + 1) * 10 ** -1.5), 14));
    expect(Math.max(...got)).toBeCloseTo(got[9]!, 14);
  });

  it("warmupCosine warms up then decays to minFactor", () => {
    const f = warmupCosine(2, 6, 0.1);
    close([0, 1, 2, 4, 6, 100].map(f), [0.5, 1, 1, 0.55, 0.1, 0.1]);
    expect(() => warmupCosine(5, 5)).toThrow(/warmupCosine: need integers 0 <= warmupSteps < totalSteps/);
  });

  it("applies per group and saves/restores the epoch counter", () => {
    const o = new SGD([{ params: [new Parameter(tensor([0]))] }, { params: [new Parameter(tensor([0]))], lr: 1 }], { lr: 0.1 });
    const s = new StepLR(o, { stepSize: 1, gamma: 0.5 });
    s.step();
    s.step();
    expect(s.getLastLr()).toEqual([0.025, 0.25]);
    const o2 = new SGD([{ params: [new Parameter(tensor([0]))] }, { params: [new Parameter(tensor([0]))], lr: 1 }], { lr: 0.1 });
    const s2 = new StepLR(o2, { stepSize: 1, gamma: 0.5 });
    s2.loadStateDict(s.stateDict());
    s2.step();
    expect(s2.getLastLr()).toEqual([0.0125, 0.125]);
  });

  it("validates its settings", () => {
    expect(() => new StepLR(opt(), { stepSize: 0 })).toThrow(/StepLR: stepSize must be a positive integer, got 0/);
    expect(() => new CosineAnnealingLR(opt(), { tMax: 1.5 })).toThrow(/CosineAnnealingLR: tMax/);
    expect(() => new LinearLR(opt(), { startFactor: 0 })).toThrow(/LinearLR: startFactor must be in \(0, 1\]/);
    expect(() => new LambdaLR(opt(), 3 as unknown as () => number)).toThrow(/LambdaLR: lrLambda must be a function/);
  });
});
