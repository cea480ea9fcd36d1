/**
 * Kernels that never use the worker pool (element-wise ops, sums, layer norms, dropout, the ReLU + dropout backward, Adam) run
 * on a private-memory instance while threads are on (backend/wasm/serial.ts): copies through a
 * shared memory are ~3× slower. They must give the 1-thread bits and leave the shared memory alone.
 */
import { afterAll, describe, expect, it } from "vitest";
import { randn } from "../create.js";
import { fusedKernelFor, getBackend, setBackend } from "../backend/registry.js";
import { getSerialRuntime } from "../backend/wasm/serial.js";
import { getRuntime } from "../backend/wasm/state.js";
import { add, div, mul, relu, sub } from "../ops/elementwise/index.js";
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
  const out = [add(a, b), sub(a, bias), mul(a, b), div(a, b), relu(a), sum(a, 0), sum(a)].map((t) => t.data as Float32Array);
  const ln = fusedKernelFor("layerNormForward")({ x: a.data as Float32Array, D: 128, weight: bias.data as Float32Array, bias: null, eps: 1e-5 });
  out.push(ln.out, ln.mean as Float32Array, ln.rstd as Float32Array);
  out.push(fusedKernelFor("reluDropoutBackward")({ y: relu(a).data as Float32Array, gradOut: b.data as Float32Array, p: 0.1 }));
  out.push(fusedKernelFor("dropout")({ x: a.data as Float32Array, p: 0.1, seed: 3 }));
  const [param, grad, m, v] = [0, 1, 2, 3].map((k) => randn([N / 4], generator(20 + k)).data as Float32Array) as [Float32Array, Float32Array, Float32Array, Float32Array];
  v.forEach((x, i) => (v[i] = x * x));
  const hyper = { beta1: 0.9, beta2: 0.999, eps: 1e-8, stepSize: 1e-3, bc2Sqrt: 0.5, decay: 1, l2: 0, maximize: false };
  fusedKernelFor("adamStepMulti")({ ...hyper, params: [param], grads: [grad], ms: [m], vs: [v], vmaxes: null });
  out.push(param, m, v);
  return out;
}

describe("kernels that never use the pool, on 2 threads", () => {
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
    // before: every one of these calls laid its 8–32 MB of operands out in the shared memory, which grew
    expect(shared.memory.buffer.byteLength).toBe(before);
    const serial = getSerialRuntime();
    expect(serial.shared).toBe(false);
    expect(serial.relaxed).toBe(shared.relaxed);
    expect(serial.memory.buffer.byteLength).toBeGreaterThanOrEqual(8 * N) // the add: two operands of 4N bytes;
    expect(two.length).toBe(one.length);
    for (let i = 0; i < one.length; i++) {
      expect(two[i]!.length, `output ${i}`).toBe(one[i]!.length);
      let differ = 0;
      for (let j = 0; j < one[i]!.length; j++) if (!Object.is(two[i]![j], one[i]![j])) differ++;
      expect(differ, `output ${i}`).toBe(0);
    }
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
