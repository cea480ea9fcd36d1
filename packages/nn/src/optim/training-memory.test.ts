import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { Generator, getBackend, listBackends, randn, setBackend, Tensor } from "@heed/tensor-core";
import { afterAll, describe, expect, it } from "vitest";
import { Dropout, LayerNorm, Linear, ReLU } from "../layers/index.js";
import { crossEntropy } from "../losses/index.js";
import { Sequential } from "../module/index.js";
import { Adam } from "./adam.js";
import { clipGradNorm } from "./clip-grad.js";
import { LambdaLR, warmupInverseSqrt } from "./lr-scheduler.js";

// A full garbage collection on demand (the test measures what stays alive, not what waits for the collector).
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

// Every WebAssembly memory created from here on (the wasm backend's runtime is created lazily, by setBackend).
const memories: WebAssembly.Memory[] = [];
const original = { Memory: WebAssembly.Memory, Instance: WebAssembly.Instance };
const wasm = WebAssembly as unknown as Record<string, unknown>;
wasm.Memory = new Proxy(original.Memory, {
  construct: (target, args: [WebAssembly.MemoryDescriptor]) => {
    const m = new target(...args);
    memories.push(m);
    return m;
  },
});
wasm.Instance = new Proxy(original.Instance, {
  construct: (target, args: [WebAssembly.Module, WebAssembly.Imports?]) => {
    const i = new target(...args);
    for (const v of Object.values(i.exports)) if (v instanceof original.Memory && !memories.includes(v)) memories.push(v);
    return i;
  },
});
const previousBackend = getBackend();
afterAll(() => {
  Object.assign(wasm, original);
  setBackend(previousBackend);
});

const STEPS = 10_000;
/** 10k steps take ~3 s on a quiet machine, half a minute on a loaded one: no timing is asserted. */
const TIMEOUT = 600_000;
const EVERY = 1_000;
/** Growth allowed from step 2,000 to the end: loose (a leak of one 2 KiB gradient per step is ~16 MiB). */
const BOUND = 4 * 2 ** 20;

/** Bytes alive after a full collection (and the finalizers it triggers): JS heap, array buffers, wasm memories. */
async function alive(): Promise<{ js: number; wasm: number }> {
  for (let i = 0; i < 2; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  const m = process.memoryUsage();
  return { js: m.heapUsed + m.arrayBuffers, wasm: memories.reduce((s, x) => s + x.buffer.byteLength, 0) };
}

/** A small classifier trained as the CLI trains (dropout, clipping, Adam, LR schedule); `keep` may retain each step's first weight gradient. */
async function train(steps: number, keep?: Tensor[]): Promise<{ step: number; js: number; wasm: number }[]> {
  const rng = new Generator(7);
  const model = new Sequential(new Linear(16, 64, { rng }), new LayerNorm(64), new ReLU(), new Dropout(0.1, { rng }), new Linear(64, 4, { rng }));
  const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
  const scheduler = new LambdaLR(optimizer, warmupInverseSqrt(100));
  const x = randn([8, 16], rng);
  const target = new Tensor(Int32Array.from([0, 1, 2, 3, 0, 1, 2, 3]), [8], "int32");
  const samples: { step: number; js: number; wasm: number }[] = [];
  for (let step = 1; step <= steps; step++) {
    const loss = crossEntropy(model.forward(x), target, { labelSmoothing: 0.1 });
    loss.item();
    loss.backward();
    const grad = model.parameters()[0]!.grad;
    if (keep !== undefined && grad !== null) keep.push(grad);
    clipGradNorm(model.parameters(), 1);
    optimizer.step();
    optimizer.zeroGrad();
    scheduler.step();
    if (step % EVERY === 0) samples.push({ step, ...(await alive()) });
  }
  return samples;
}

/** Largest growth of each measure after step 2,000 over its value at step 2,000. */
function growth(samples: readonly { step: number; js: number; wasm: number }[]): { js: number; wasm: number } {
  const base = samples.find((s) => s.step === 2 * EVERY)!;
  const later = samples.filter((s) => s.step > base.step);
  return { js: Math.max(...later.map((s) => s.js - base.js)), wasm: Math.max(...later.map((s) => s.wasm - base.wasm)) };
}

describe.each(listBackends())("training memory on the %s backend", (backend) => {
  it(`stays flat over ${STEPS.toLocaleString("en")} steps (growth after step 2,000 under ${BOUND / 2 ** 20} MiB)`, async () => {
    expect(setBackend(backend)).toBe(true);
    const g = growth(await train(STEPS));
    if (backend === "wasm") expect(memories.length, "the wasm runtime's memory is observed").toBeGreaterThan(0);
    expect(g.js, `JS heap + array buffers grew by ${g.js} bytes`).toBeLessThan(BOUND);
    expect(g.wasm, `wasm memory grew by ${g.wasm} bytes`).toBeLessThan(BOUND);
  }, TIMEOUT);

  it("detects a leak: keeping every step's [64, 16] weight gradient (4 KiB) grows past the bound", async () => {
    expect(setBackend(backend)).toBe(true);
    const kept: Tensor[] = [];
    const g = growth(await train(4 * EVERY, kept));
    expect(kept).toHaveLength(4 * EVERY);
    expect(new Set(kept).size, "zeroGrad must leave a fresh gradient each step").toBe(4 * EVERY);
    expect(Math.max(g.js, g.wasm)).toBeGreaterThan(BOUND);
  }, TIMEOUT);
});
