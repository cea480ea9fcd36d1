import { Adam, Linear, mseLoss, ReLU, Sequential, clipGradNorm, manualSeed, CosineAnnealingLR, serializeSafetensors, parseSafetensors } from "@heed/nn";
import { Generator, rand, tensor, type Tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";

/** y = sin(2x₀) + x₁² on [−1, 1]², a small regression task. */
function data(n: number, seed: number): { x: Tensor; y: Tensor } {
  const x = rand([n, 2], new Generator(seed), -1, 1);
  const y = tensor(Array.from({ length: n }, (_, i) => [Math.sin(2 * x.data[2 * i]!) + x.data[2 * i + 1]! ** 2]));
  return { x, y };
}

describe("training a Linear→ReLU→Linear regressor with MSE and Adam", () => {
  it("lowers the loss, and a checkpoint reproduces the trained model", () => {
    manualSeed(0);
    const model = new Sequential(new Linear(2, 32), new ReLU(), new Linear(32, 1));
    const opt = new Adam(model.parameters(), { lr: 0.02 });
    const sched = new CosineAnnealingLR(opt, { tMax: 300, etaMin: 0.002 });
    const { x, y } = data(256, 1);
    const initial = mseLoss(model.forward(x), y).item();
    let last = initial;
    for (let step = 0; step < 300; step++) {
      const loss = mseLoss(model.forward(x), y);
      opt.zeroGrad();
      loss.backward();
      clipGradNorm(model.parameters(), 5);
      opt.step();
      sched.step();
      last = loss.item();
    }
    const test = data(256, 2);
    const testLoss = mseLoss(model.forward(test.x), test.y).item();
    expect(last).toBeLessThan(initial / 10);
    expect(testLoss).toBeLessThan(0.05);

    const copy = new Sequential(new Linear(2, 32), new ReLU(), new Linear(32, 1));
    copy.loadStateDict(parseSafetensors(serializeSafetensors(model.stateDict())).tensors);
    expect([...copy.forward(test.x).data]).toEqual([...model.forward(test.x).data]);
  });
});
