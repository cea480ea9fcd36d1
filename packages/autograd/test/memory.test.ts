import { Generator, matmul, mean, pooledBytes, randn, relu, square, sub, type Tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { releaseActivations, zeroGrad } from "@heed/autograd";

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

describe("memory with releaseActivations", () => {
  it("10,000 training steps keep the heap and the pool flat while every step's activations are reused", async () => {
    const rng = new Generator(2);
    const x = randn([32, 16], rng); // [B, E]: results of ≥ 256 floats, so the pool serves them
    const y = randn([32, 8], rng);
    const params = [randn([16, 24], rng).requiresGrad_(), randn([24, 8], rng).requiresGrad_()];
    const [w1, w2] = params as [Tensor, Tensor];
    let heapAfterWarmup = 0;
    let pooledAfterWarmup = 0;
    let initialLoss = 0;
    let firstHidden: Tensor | null = null;
    for (let step = 0; step < 10_000; step++) {
      const loss = releaseActivations(() => {
        const h = relu(matmul(x, w1));
        if (step === 0) firstHidden = h;
        const l = mean(square(sub(matmul(h, w2), y)));
        const v = l.item();
        l.backward();
        return v;
      }, { replaceGradients: params });
      if (step === 0) initialLoss = loss;
      for (const w of params) {
        const g = w.grad!.data;
        for (let i = 0; i < g.length; i++) w.data[i] = w.data[i]! - 0.01 * g[i]!;
      }
      if (step === 999) {
        await collect();
        heapAfterWarmup = process.memoryUsage().heapUsed;
        pooledAfterWarmup = pooledBytes();
      }
    }
    await collect();
    expect(() => firstHidden!.data).toThrow(/storage was reused/); // step 0's activation went back to the pool
    expect(pooledBytes()).toBeLessThanOrEqual(pooledAfterWarmup);
    if (gc !== undefined) expect(process.memoryUsage().heapUsed - heapAfterWarmup).toBeLessThan(2 * 1024 * 1024);
    expect(mean(square(sub(matmul(relu(matmul(x, w1)), w2), y))).item()).toBeLessThan(initialLoss); // it did train
  });
});
