/**
 * The element-wise binary ops and sums never use the worker pool; while threads are on they run
 * on a private-memory instance (backend/wasm/serial.ts): copies through a shared memory are ~3×
 * slower. They must give the 1-thread bits and leave the shared memory alone; the kernels that
 * stay on the shared memory (layer norm, dropout, Adam) must not touch the private instance.
 */
import { afterAll, describe, expect, it } from "vitest";
import { randn } from "../create.js";
import { fusedKernelFor, getBackend, setBackend } from "../backend/registry.js";
import { getSerialRuntime } from "../backend/wasm/serial.js";
import { getRuntime } from "../backend/wasm/state.js";
import { add, div, mul, sub } from "../ops/elementwise/index.js";
import { sum } from "../ops/reduce/sum.js";
import { generator } from "../random.js";
import { setNumThreads } from "./threads.js";

const initial = getBackend();
afterAll(() => {
  setNumThreads(1);
  setBackend(initial);
});

const N = 1 << 21; // 8 MB per operand: more scratch than a fresh shared memory has

function run(): Float32Array[] {
  const rng = generator(12);
  const [a, b] = [randn([N / 128, 128], rng), randn([N / 128, 128], rng)];
  const bias = randn([128], rng);
  const one = randn([1], rng);
  const out = [add(a, b), sub(a, bias), sub(bias, a), mul(a, b), mul(one, a), div(a, b), div(a, one), sum(a, 0), sum(a, 1), sum(a)];
  return out.map((t) => t.data as Float32Array);
}

describe("element-wise ops and sums on 2 threads", () => {
  it("run on a private-memory runtime with the 1-thread bits, and leave the shared memory's size alone", () => {
    expect(setBackend("wasm")).toBe(true);
    expect(setNumThreads(1)).toBe(1);
    expect(getSerialRuntime()).toBe(getRuntime()); // one thread: the runtime itself
    const one = run();
    expect(setNumThreads(2)).toBe(2);
    const shared = getRuntime();
    expect(shared.shared).toBe(true);
    const before = shared.memory.buffer.byteLength;
    const two = run();
    // on the shared runtime these calls lay their 8–16 MB of operands out in the shared memory, which grows
    expect(shared.memory.buffer.byteLength).toBe(before);
    const serial = getSerialRuntime();
    expect(serial.shared).toBe(false);
    expect(serial.relaxed).toBe(shared.relaxed);
    expect(serial.memory.buffer.byteLength).toBeGreaterThanOrEqual(8 * N); // the add: two operands of 4N bytes
    expect(two.length).toBe(one.length);
    for (let i = 0; i < one.length; i++) {
      expect(two[i]!.length, `output ${i}`).toBe(one[i]!.length);
      let differ = 0;
      for (let j = 0; j < one[i]!.length; j++) if (!Object.is(two[i]![j], one[i]![j])) differ++;
      expect(differ, `output ${i}`).toBe(0);
    }
  });

  it("keeps layer norm, dropout and Adam on the shared runtime", () => {
    expect(setBackend("wasm")).toBe(true);
    expect(setNumThreads(1)).toBe(1);
    expect(setNumThreads(2)).toBe(2); // a new private runtime, made by the small add below
    const rng = generator(13);
    add(randn([4, 4], rng), randn([4, 4], rng));
    const serial = getSerialRuntime();
    const size = serial.memory.buffer.byteLength;
    const x = randn([(4 * N) / 128, 128], rng).data as Float32Array; // 32 MB: a layer norm lays out 64 MB
    expect(size).toBeLessThan(2 * x.byteLength); // more than the private memory holds
    fusedKernelFor("layerNormForward")({ x, D: 128, weight: null, bias: null, eps: 1e-5 });
    fusedKernelFor("dropout")({ x, p: 0.1, seed: 3 });
    const [param, grad, m, v] = [0, 1, 2, 3].map((k) => randn([4 * N], generator(20 + k)).data as Float32Array) as [Float32Array, Float32Array, Float32Array, Float32Array];
    v.forEach((y, i) => (v[i] = y * y));
    fusedKernelFor("adamStepMulti")({ beta1: 0.9, beta2: 0.999, eps: 1e-8, stepSize: 1e-3, bc2Sqrt: 0.5, decay: 1, l2: 0, maximize: false, params: [param], grads: [grad], ms: [m], vs: [v], vmaxes: null });
    expect(getSerialRuntime()).toBe(serial);
    expect(serial.memory.buffer.byteLength).toBe(size); // nothing was laid out in the private memory
  });

  it("drops the private runtime when back on one thread", () => {
    expect(setBackend("wasm")).toBe(true);
    expect(setNumThreads(2)).toBe(2);
    const serial = getSerialRuntime();
    expect(serial).not.toBe(getRuntime());
    expect(getSerialRuntime()).toBe(serial); // made once
    expect(setNumThreads(1)).toBe(1);
    expect(getSerialRuntime()).toBe(getRuntime());
    expect(setNumThreads(2)).toBe(2);
    expect(getSerialRuntime()).not.toBe(serial); // a new one, not the memory kept from before
  });
});
