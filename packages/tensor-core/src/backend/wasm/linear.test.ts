import { afterAll, describe, expect, it } from "vitest";
import { randn } from "../../create.js";
import { generator } from "../../random.js";
import { Tensor } from "../../tensor.js";
import { setNumThreads } from "../../node/threads.js";
import { fusedKernelFor, getBackend, kernelFor, referenceFusedKernel, setBackend } from "../registry.js";

const initial = getBackend();
afterAll(() => {
  setNumThreads(1);
  setBackend(initial);
});

describe("wasm linearForward against the reference", () => {
  it.each([[1, 1, 1], [3, 5, 7], [17, 9, 33], [130, 128, 64]])("rows %d, in %d, out %d, with and without bias", (rows, inF, outF) => {
    expect(setBackend("wasm")).toBe(true);
    const r = (n: number, s: number): Float32Array => randn([n], generator(s)).data as Float32Array;
    for (const bias of [r(outF, 3), null]) {
      const args = { x: r(rows * inF, 1), weight: r(outF * inF, 2), bias, rows, inFeatures: inF, outFeatures: outF };
      const want = referenceFusedKernel("linearForward")(args);
      const got = fusedKernelFor("linearForward")(args);
      expect(got).toBeInstanceOf(Float32Array);
      expect(got.length).toBe(rows * outF);
      for (let i = 0; i < want.length; i++) if (!(Math.abs(got[i]! - want[i]!) <= 1e-5 + 1e-4 * Math.abs(want[i]!))) expect.fail(`index ${i}: ${got[i]} vs ${want[i]}`);
    }
  });
});

describe("wasm linearForward: the bias added by each GEMM task", () => {
  // above 8 MFLOP, so on 2 threads split: by rows (rows > out) and by columns (out >= rows)
  it.each([[1, 1000, 128, 100], [2, 1000, 128, 100], [1, 64, 512, 384], [2, 64, 512, 384]])("%d thread(s), rows %d, in %d, out %d: the bits of matmul then add", (threads, rows, inF, outF) => {
    expect(setBackend("wasm")).toBe(true);
    setNumThreads(threads);
    const r = (n: number, s: number): Float32Array => randn([n], generator(s)).data as Float32Array;
    const [x, w, b] = [r(rows * inF, 4), r(outF * inF, 5), r(outF, 6)];
    const product = kernelFor("matmul")([new Tensor(x, [rows, inF]), new Tensor(w, [outF, inF])], { transA: false, transB: true });
    const want = kernelFor("add")([product, new Tensor(b, [outF])], {}).data;
    const got = fusedKernelFor("linearForward")({ x, weight: w, bias: b, rows, inFeatures: inF, outFeatures: outF });
    let differ = 0;
    for (let i = 0; i < want.length; i++) if (!Object.is(got[i], want[i])) differ++;
    expect(differ).toBe(0);
  });
});
