import { Generator, matmul, mean, randn, square, sub, type Tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { zeroGrad } from "@heed/autograd";

const gc = (globalThis as { gc?: () => void }).gc;

async function collect(): Promise<void> {
  // WeakRefs are cleared only after the current job: collect, yield, collect again.
  gc?.();
  await new Promise((resolve) => setTimeout(resolve, 0));
  gc?.();
}

describe("memory", () => {
  it("10,000 training steps keep the heap flat and release every graph", async () => {
    const rng = new Generator(1);
    const x = randn([8, 4], rng);
    const y = randn([8, 2], rng);
    const w = randn([4, 2], rng).requiresGrad_();
    let firstLoss: WeakRef<Tensor> | null = null;
    let firstHidden: WeakRef<Tensor> | null = null;
    let heapAfterWarmup = 0;
    let initialLoss = 0;
    for (let step = 0; step < 10_000; step++) {
      zeroGrad([w]);
      const pred = matmul(x, w);
      const loss = mean(square(sub(pred, y)));
      loss.backward();
      if (step === 0) {
        initialLoss = loss.item();
        firstLoss = new WeakRef(loss);
        firstHidden = new WeakRef(pred);
        expect(() => loss.backward()).toThrow(/graph was freed/); // the graph is released after backward
      }
      const g = w.grad!.data;
      for (let i = 0; i < g.length; i++) w.data[i] = w.data[i]! - 0.05 * g[i]!;
      if (step === 999) {
        await collect();
        heapAfterWarmup = process.memoryUsage().heapUsed;
      }
    }
    await collect();
    expect(gc, "vitest.config.ts passes --expose-gc").toBeTypeOf("function");
    if (gc !== undefined) {
      expect(firstLoss!.deref()).toBeUndefined();
      expect(firstHidden!.deref()).toBeUndefined();
      const growth = process.memoryUsage().heapUsed - heapAfterWarmup;
      expect(growth).toBeLessThan(2 * 1024 * 1024); // 9,000 more steps: well under a step's worth of graph each
    }
    expect(mean(square(sub(matmul(x, w), y))).item()).toBeLessThan(initialLoss); // it did train
  });
});
