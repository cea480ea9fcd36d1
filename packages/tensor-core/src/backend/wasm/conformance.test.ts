/**
 * Conformance: the same op tests run on every backend (values against a float64 reference
 * computed here), plus randomised odd-size comparisons of the wasm kernels against the
 * reference kernels (`referenceKernel(op)`), batched, broadcast and transposed.
 */
import { afterAll, describe, expect, it, vi } from "vitest";
import { randn, tensor } from "../../create.js";
import { logSoftmax, softmax } from "../../ops/reduce/index.js";
import { matmul } from "../../ops/linalg/index.js";
import { generator } from "../../random.js";
import { Tensor } from "../../tensor.js";
import { getBackend, referenceKernel, setBackend } from "../registry.js";
import { setNumThreads } from "../../node/index.js";
import { SharedPool as WorkerPool } from "./pool.js";
import { WasmRuntime } from "./runtime.js";

const initial = getBackend();
afterAll(() => void setBackend(initial));

/** float64 reference product of stored operands, torch.matmul batch broadcasting over one leading dim. */
function refMatmul(a: Tensor, b: Tensor, transA: boolean, transB: boolean): Float64Array {
  const [ra, rb] = [a.rank, b.rank];
  const M = transA ? a.shape[ra - 1]! : a.shape[ra - 2]!;
  const K = transA ? a.shape[ra - 2]! : a.shape[ra - 1]!;
  const N = transB ? b.shape[rb - 2]! : b.shape[rb - 1]!;
  const nbA = a.size / (M * K);
  const nbB = b.size / (K * N);
  const nb = Math.max(nbA, nbB);
  const out = new Float64Array(nb * M * N);
  for (let t = 0; t < nb; t++) {
    const oa = (nbA === 1 ? 0 : t) * M * K;
    const ob = (nbB === 1 ? 0 : t) * K * N;
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let p = 0; p < K; p++) {
          s += a.data[oa + (transA ? p * M + i : i * K + p)]! * b.data[ob + (transB ? j * K + p : p * N + j)]!;
        }
        out[(t * M + i) * N + j] = s;
      }
    }
  }
  return out;
}

function refSoftmax(x: Tensor, log: boolean): Float64Array {
  const n = x.shape[x.rank - 1]!;
  const out = new Float64Array(x.size);
  for (let r = 0; r < x.size / n; r++) {
    const row = Array.from(x.data.subarray(r * n, (r + 1) * n));
    const m = row.some(Number.isNaN) ? NaN : Math.max(...row);
    const s = row.reduce((acc, v) => acc + Math.exp(v - m), 0);
    row.forEach((v, j) => (out[r * n + j] = log ? v - m - Math.log(s) : Math.exp(v - m) / s));
  }
  return out;
}

for (const backend of ["js", "wasm"]) {
  describe(`conformance on backend '${backend}'`, () => {
    const rng = generator(7);
    const use = (): void => {
      expect(setBackend(backend)).toBe(true);
    };

    it("matmul: plain, transposed, batched and broadcast products", () => {
      use();
      const cases: [number[], number[], boolean, boolean][] = [
        [[3, 5], [5, 4], false, false],
        [[5, 3], [5, 4], true, false],
        [[3, 5], [4, 5], false, true],
        [[5, 3], [4, 5], true, true],
        [[2, 17, 9], [2, 9, 6], false, false],
        [[2, 17, 9], [9, 6], false, false],
        [[9, 17], [3, 9, 6], true, false],
        [[4, 1, 8], [4, 13, 8], false, true],
      ];
      for (const [sa, sb, transA, transB] of cases) {
        const [a, b] = [randn(sa, rng), randn(sb, rng)];
        const out = matmul(a, b, { transA, transB });
        expect(out.data).toBeAllclose(refMatmul(a, b, transA, transB));
      }
    });

    it("matmul: exact small values and a size-1 inner dimension", () => {
      use();
      expect(matmul(tensor([[1, 2], [3, 4]]), tensor([[5, 6], [7, 8]])).toArray()).toEqual([[19, 22], [43, 50]]);
      expect(matmul(tensor([[2], [3]]), tensor([[4, 5]])).toArray()).toEqual([[8, 10], [12, 15]]);
    });

    it("softmax and logSoftmax: values, ±1e4, -Infinity entries, all -Infinity, NaN and +Infinity rows", () => {
      use();
      const x = tensor([
        [1, 2, 3, 4, 5, 6, 7],
        [1e4, -1e4, 0, 1e4, 5, 1, 2],
        [-Infinity, 0, 1, -Infinity, 2, 3, -Infinity],
        [-Infinity, -Infinity, -Infinity, -Infinity, -Infinity, -Infinity, -Infinity],
        [0, NaN, 1, 2, 3, 4, 5],
        [Infinity, 0, 1, 2, 3, -Infinity, 5],
      ]);
      const sm = softmax(x);
      expect(sm.data).toBeAllclose(refSoftmax(x, false));
      expect(sm.data[14]).toBe(0);
      expect(logSoftmax(x).data).toBeAllclose(refSoftmax(x, true));
      expect(logSoftmax(x).data[14]).toBe(-Infinity);
      const y = randn([3, 129], rng).data.map((v) => v * 20);
      const t = new Tensor(y, [3, 129]);
      expect(softmax(t).data).toBeAllclose(refSoftmax(t, false));
      expect(logSoftmax(t).data).toBeAllclose(refSoftmax(t, true));
    });
  });
}

describe("wasm kernels against the reference kernels (randomised, odd sizes)", () => {
  const rng = generator(11);
  const sizes = [1, 3, 17, 129];

  it("matmul over M, N, K in {1, 3, 17, 129}, transA/transB, batched and broadcast", () => {
    expect(setBackend("wasm")).toBe(true);
    for (const M of sizes) {
      for (const N of sizes) {
        for (const K of sizes) {
          const transA = (M + N + K) % 2 === 0;
          const transB = (M * K) % 4 === 3 || N === 1;
          const batchA = M === N ? [2, 1] : [];
          const batchB = M === N ? [3] : K === 17 ? [2] : [];
          const a = randn([...batchA, ...(transA ? [K, M] : [M, K])], rng);
          const b = randn([...batchB, ...(transB ? [N, K] : [K, N])], rng);
          const attrs = { transA, transB };
          const out = matmul(a, b, attrs);
          const ref = referenceKernel("matmul")([a, b], attrs);
          expect(out.shape).toEqual(ref.shape);
          expect(out.data).toBeAllclose(ref.data, { rtol: 1e-4, atol: 1e-4 });
        }
      }
    }
  });

  it("softmax / logSoftmax rows of length 1, 3, 17, 129 and an inner axis (reference path)", () => {
    expect(setBackend("wasm")).toBe(true);
    for (const n of sizes) {
      const x = randn([5, n], rng);
      for (const op of ["softmax", "logSoftmax"] as const) {
        const fn = op === "softmax" ? softmax : logSoftmax;
        expect(fn(x).data).toBeAllclose(referenceKernel(op)([x], { axis: 1 }).data);
        expect(fn(x, 0).data).toBeAllclose(referenceKernel(op)([x], { axis: 0 }).data);
      }
    }
  });

  it("float64 and int32 inputs fall back to the reference kernels", () => {
    expect(setBackend("wasm")).toBe(true);
    const a = tensor([[1, 2], [3, 4]], undefined, "float64");
    expect(matmul(a, a).dtype).toBe("float64");
    expect(matmul(a, a).toArray()).toEqual([[7, 10], [15, 22]]);
    const i = tensor([[1, 2], [3, 4]], undefined, "int32");
    expect(matmul(i, i).dtype).toBe("int32");
    expect(softmax(a).dtype).toBe("float64");
  });
});

describe("wasm matmul paths: small products, batch tasks, splits over threads", () => {
  const rng = generator(13);
  afterAll(() => void setNumThreads(1));

  /** wasm against the reference kernel; returns the op codes of the task records written. */
  function check(sa: number[], sb: number[], transA: boolean, transB: boolean): number[] {
    const ops: number[] = [];
    const spy = vi.spyOn(WasmRuntime.prototype, "setTask").mockImplementation(function (this: WasmRuntime, i, words) {
      ops.push(words[0]!);
      const at = (this.table >> 2) + i * 16;
      for (let w = 0; w < words.length; w++) this.i32[at + w] = words[w]!;
    });
    const [a, b] = [randn(sa, rng), randn(sb, rng)];
    const attrs = { transA, transB };
    try {
      const out = matmul(a, b, attrs);
      const ref = referenceKernel("matmul")([a, b], attrs);
      expect(out.shape).toEqual(ref.shape);
      expect(out.data).toBeAllclose(ref.data, { rtol: 1e-4, atol: 1e-4 });
    } finally {
      spy.mockRestore();
    }
    return ops;
  }

  it("small products (B copied, A read in place): every row and column edge of the 4×8 tiles", () => {
    expect(setBackend("wasm")).toBe(true);
    for (const M of [1, 2, 3, 5, 6, 10]) {
      for (const N of [1, 2, 3, 5, 7, 9, 10, 13]) {
        for (const K of [1, 4, 7]) {
          for (const [transA, transB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
            check(transA ? [K, M] : [M, K], transB ? [N, K] : [K, N], transA, transB);
          }
        }
      }
    }
  });

  it("packed products: every row edge of the 6-row (relaxed SIMD) and 4-row A panels, the 72-row block edge, K past one 512 block", () => {
    expect(setBackend("wasm")).toBe(true);
    for (const M of [1, 4, 5, 6, 7, 11, 71, 73, 79]) {
      for (const [N, K] of [[24, 345], [17, 523]] as const) {
        for (const [transA, transB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
          check(transA ? [K, M] : [M, K], transB ? [N, K] : [K, N], transA, transB);
        }
      }
    }
  });

  it("around the small-path limits (k·⌈n⌉₄, and m·k for a transposed A, 8192) and records reused after batch tasks", () => {
    expect(setBackend("wasm")).toBe(true);
    for (const [M, N, K] of [[9, 128, 64], [9, 129, 64], [13, 125, 65], [7, 3, 2731], [7, 3, 2733]] as const) {
      check([M, K], [K, N], false, false);
      check([K, M], [N, K], true, true);
    }
    // a transposed A is read in place only while m·k <= 8192
    for (const [M, N, K] of [[127, 9, 64], [129, 9, 64], [1031, 5, 3]] as const) {
      check([K, M], [K, N], true, false);
      check([K, M], [N, K], true, true);
    }
    // a batch task (16 words) then a single product on the same table: no stale words
    expect(check([5, 11, 9], [5, 7, 9], false, true)).toEqual([5]);
    expect(check([2, 17, 9], [9, 6], false, false)).toEqual([1]);
  });

  it("batched products: one task for uniform batch strides, one per product otherwise", () => {
    expect(setBackend("wasm")).toBe(true);
    expect(check([7, 10, 33], [7, 10, 33], false, true)).toEqual([5]);
    expect(check([3, 5, 10, 10], [3, 5, 10, 33], true, false)).toEqual([5]);
    expect(check([19, 17], [6, 19, 3], true, false)).toEqual([5]); // broadcast a: stride 0
    expect(check([4, 3, 5, 9], [9, 5], true, true)).toEqual([5]); // broadcast b with transA: no fold
    expect(check([2, 1, 9, 11], [3, 11, 13], false, false)).toEqual([1, 1, 1, 1, 1, 1]); // [2,1]×[3]: not uniform
    expect(check([33, 1, 2, 3], [32, 3, 5], false, false)).toEqual(Array(33 * 32).fill(1)); // > 1024 tasks: table run twice
  });

  it("2 threads: one product split by columns or by rows, batch tasks, per-product tasks", () => {
    expect(setBackend("wasm")).toBe(true);
    expect(setNumThreads(2)).toBe(2);
    const run = vi.spyOn(WorkerPool.prototype, "run");
    try {
      // N >= M: split by columns (each part packs its slice of B and all of A)
      expect(check([67, 301], [517, 301], false, true)).toEqual([1, 1]);
      expect(check([301, 67], [301, 517], true, false)).toEqual([1, 1]);
      // M > N: split by rows, up to 4 parts per thread of at least 96 rows (517 rows: 5 parts of 120)
      expect(check([129, 517], [129, 131], true, false)).toEqual([1, 1, 1, 1, 1]);
      expect(check([517, 129], [131, 129], false, true)).toEqual([1, 1, 1, 1, 1]);
      // many products: batch tasks shared by the threads
      expect(check([24, 67, 45], [24, 45, 61], false, false)).toEqual(Array(8).fill(5));
      // few products: split in one part per thread unless they share out evenly
      expect(check([3, 129, 200], [3, 97, 200], false, true)).toEqual(Array(6).fill(1));
      expect(check([2, 1, 97, 131], [3, 131, 99], false, false)).toEqual(Array(6).fill(1)); // [2,1]×[3]: not uniform
      expect(check([4, 1, 67, 129], [9, 67, 131], true, false)).toEqual(Array(36).fill(1)); // 36 products, not uniform
      expect(check([1, 101, 97], [3, 97, 301], false, false)).toEqual(Array(6).fill(1)); // broadcast a, 3 products
      expect(run).toHaveBeenCalledTimes(9);
    } finally {
      run.mockRestore();
      setNumThreads(1);
    }
  });
});
