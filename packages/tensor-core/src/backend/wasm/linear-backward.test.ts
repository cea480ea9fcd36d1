/**
 * The wasm `linearBackward` kernel: the same bits as the wasm kernels it replaces (matmul G·W,
 * matmul Gᵀ·x, column sum of G), on 1 and 2 threads, for any subset of the three gradients;
 * and within float32 rounding of the reference (which is those js kernels).
 */
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

const r = (n: number, s: number): Float32Array => randn([n], generator(s)).data as Float32Array;
/** The first index where a and b differ (Object.is: bit-level for floats other than NaN payloads), or -1. */
const firstDifference = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  if (a.length !== b.length) return 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
};

describe("wasm linearBackward", () => {
  for (const threads of [1, 2]) {
    // the last is above the threshold where products go to the pool (8 MFLOP)
    it.each([[1, 1, 1], [3, 5, 7], [17, 9, 33], [1024, 128, 384]])(`${threads} thread(s): rows %d, in %d, out %d: the bits of matmul, matmul and sum`, (rows, inF, outF) => {
      expect(setBackend("wasm")).toBe(true);
      setNumThreads(threads);
      const [g, x, w] = [r(rows * outF, 1), r(rows * inF, 2), r(outF * inF, 3)];
      const tg = new Tensor(g, [rows, outF]);
      const want = {
        dx: kernelFor("matmul")([tg, new Tensor(w, [outF, inF])], { transA: false, transB: false }).data,
        dw: kernelFor("matmul")([tg, new Tensor(x, [rows, inF])], { transA: true, transB: false }).data,
        db: kernelFor("sum")([tg], { axes: [0], keepDims: false }).data,
      };
      const reference = referenceFusedKernel("linearBackward")({ gradOut: g, x, weight: w, rows, inFeatures: inF, outFeatures: outF, wantDx: true, wantDw: true, wantDb: true });
      for (const mask of [7, 1, 2, 4, 6]) {
        const [wantDx, wantDw, wantDb] = [(mask & 1) !== 0, (mask & 2) !== 0, (mask & 4) !== 0];
        const got = fusedKernelFor("linearBackward")({ gradOut: g, x, weight: w, rows, inFeatures: inF, outFeatures: outF, wantDx, wantDw, wantDb });
        for (const [k, on] of [["dx", wantDx], ["dw", wantDw], ["db", wantDb]] as const) {
          if (!on) {
            expect(got[k], k).toBeNull();
            continue;
          }
          expect(got[k], k).toBeInstanceOf(Float32Array);
          expect(firstDifference(got[k]!, want[k]), `${k} (mask ${mask})`).toBe(-1);
          expect(got[k]!, `${k} against the reference`).toBeAllclose(reference[k]!, { rtol: 1e-4, atol: 1e-4 });
        }
      }
    });
  }

  it("float64 takes the reference (the js kernels)", () => {
    expect(setBackend("wasm")).toBe(true);
    const [g, x, w] = [Float64Array.from(r(6, 1)), Float64Array.from(r(4, 2)), Float64Array.from(r(6, 3))];
    const args = { gradOut: g, x, weight: w, rows: 2, inFeatures: 2, outFeatures: 3, wantDx: true, wantDw: true, wantDb: true };
    const got = fusedKernelFor("linearBackward")(args);
    const want = referenceFusedKernel("linearBackward")(args);
    expect(got.dx).toBeInstanceOf(Float64Array);
    expect([got.dx, got.dw, got.db].map((a) => Array.from(a!))).toEqual([want.dx, want.dw, want.db].map((a) => Array.from(a!)));
    // dx = G·W by hand: row 0 of G times W
    expect(got.dx![0]).toBeCloseTo(g[0]! * w[0]! + g[1]! * w[2]! + g[2]! * w[4]!, 12);
    expect(got.db![1]).toBeCloseTo(g[1]! + g[4]!, 12);
  });
});
