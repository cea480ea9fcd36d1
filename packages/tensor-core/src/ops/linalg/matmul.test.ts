import { describe, expect, it } from "vitest";
import { Generator, matmul, randn, tensor, zeros, type Tensor } from "../../index.js";
import { forEachBackend } from "../../../test/utils/backends.js";

// Every test below runs once per registered backend (js reference, wasm).
forEachBackend(() => {
  /** float64 reference: out[..., i, j] = Σ_k A[i, k] B[k, j] with A/B read through optional transposes and broadcast batches. */
  function refMatmul(a: Tensor, b: Tensor, transA = false, transB = false): { shape: number[]; data: Float64Array } {
    const [ra, rb] = [a.rank, b.rank];
    const [M, K] = transA ? [a.shape[ra - 1]!, a.shape[ra - 2]!] : [a.shape[ra - 2]!, a.shape[ra - 1]!];
    const N = transB ? b.shape[rb - 2]! : b.shape[rb - 1]!;
    const bA = a.shape.slice(0, -2);
    const bB = b.shape.slice(0, -2);
    const n = Math.max(bA.length, bB.length);
    const batch = Array.from({ length: n }, (_, d) => Math.max(bA[bA.length - n + d] ?? 1, bB[bB.length - n + d] ?? 1));
    const count = batch.reduce((p, d) => p * d, 1);
    const offset = (shape: number[], idx: number[], size: number): number =>
      shape.reduce((o, d, k) => o * d + (d === 1 ? 0 : idx[n - shape.length + k]!), 0) * size;
    const out = new Float64Array(count * M * N);
    for (let t = 0; t < count; t++) {
      let rest = t;
      const idx = batch.map(() => 0);
      for (let d = n - 1; d >= 0; d--) {
        idx[d] = rest % batch[d]!;
        rest = Math.floor(rest / batch[d]!);
      }
      const oa = offset(bA, idx, M * K);
      const ob = offset(bB, idx, K * N);
      for (let i = 0; i < M; i++) {
        for (let j = 0; j < N; j++) {
          let s = 0;
          for (let k = 0; k < K; k++) {
            const av = a.data[oa + (transA ? k * M + i : i * K + k)]!;
            const bv = b.data[ob + (transB ? j * K + k : k * N + j)]!;
            s += av * bv;
          }
          out[(t * M + i) * N + j] = s;
        }
      }
    }
    return { shape: [...batch, M, N], data: out };
  }

  describe("matmul", () => {
    const g = new Generator(11);
    const sizes = [1, 3, 17, 33, 65];

    it.each(sizes.flatMap((M) => [[M, 3, 65], [M, 33, 1], [M, 17, 17]]))("M=%d K=%d N=%d, every trans flag, vs a float64 triple loop", (M, K, N) => {
      for (const [transA, transB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
        const a = randn(transA ? [K, M] : [M, K], g);
        const b = randn(transB ? [N, K] : [K, N], g);
        const ref = refMatmul(a, b, transA, transB);
        const y = matmul(a, b, { transA, transB });
        expect(y.shape).toEqual(ref.shape);
        expect(y).toBeAllclose(ref.data);
      }
    });

    it("crosses the cache blocks (K > 256, N > 512, M > 64)", () => {
      const a = randn([70, 300], g);
      const b = randn([300, 520], g);
      // K = 300 float32 products of N(0, 1) values: where they cancel (a result of 0.03 from
      // Σ|ab| ≈ 240) the float32 rounding reaches 1.5e-5, with plain and relaxed SIMD alike
      // (measured over 8 seeds: 0–2 of the 36,400 elements beyond atol 1e-5 for either), so atol 2e-5.
      expect(matmul(a, b)).toBeAllclose(refMatmul(a, b).data, { atol: 2e-5 });
    });

    it("chunks long row ranges (a folded [3·50, K] batch and M = 130)", () => {
      const a = randn([3, 50, 7], g);
      const w = randn([7, 5], g);
      expect(matmul(a, w)).toBeAllclose(refMatmul(a, w).data);
      const c = randn([2, 7, 130], g);
      const d = randn([2, 9, 7], g);
      expect(matmul(c, d, { transA: true, transB: true })).toBeAllclose(refMatmul(c, d, true, true).data);
    });

    it("broadcasts batch dimensions", () => {
      const cases: [number[], number[]][] = [
        [[2, 3, 5, 4], [2, 3, 4, 6]],
        [[2, 1, 5, 4], [3, 4, 6]],
        [[5, 4], [3, 4, 6]],
        [[2, 3, 5, 4], [4, 6]],
        [[1, 5, 4], [2, 1, 4, 6]],
      ];
      for (const [sa, sb] of cases) {
        const a = randn(sa, g);
        const b = randn(sb, g);
        const ref = refMatmul(a, b);
        const y = matmul(a, b);
        expect(y.shape).toEqual(ref.shape);
        expect(y).toBeAllclose(ref.data);
      }
    });

    it("computes attention-shaped products (Q·Kᵀ with transB, [B·L,E]×[E,3E])", () => {
      const [BH, L, S, D] = [6, 9, 11, 8];
      const q = randn([BH, L, D], g);
      const k = randn([BH, S, D], g);
      const scores = matmul(q, k, { transB: true });
      expect(scores.shape).toEqual([BH, L, S]);
      expect(scores).toBeAllclose(refMatmul(q, k, false, true).data);
      const x = randn([2 * 5, 12], g);
      const w = randn([12, 36], g);
      expect(matmul(x, w)).toBeAllclose(refMatmul(x, w).data);
    });

    it("follows torch.matmul for 1-d operands", () => {
      const v = tensor([1, 2, 3]);
      const dot = matmul(v, tensor([4, 5, 6]));
      expect(dot.shape).toEqual([]);
      expect(dot.item()).toBe(32);
      const m = tensor([[1, 2], [3, 4], [5, 6]]);
      expect(matmul(tensor([1, 1, 1]), m).toArray()).toEqual([9, 12]);
      expect(matmul(m, tensor([1, -1])).toArray()).toEqual([-1, -1, -1]);
      const batch = randn([4, 3, 2], g);
      expect(matmul(v, batch).shape).toEqual([4, 2]);
      expect(matmul(v, batch)).toBeAllclose(refMatmul(tensor([[1, 2, 3]]), batch).data);
      expect(matmul(randn([4, 2, 3], g), v).shape).toEqual([4, 2]);
      expect(matmul(m, tensor([1, -1]), { transA: false }).shape).toEqual([3]);
    });

    it("handles size-0 dimensions and keeps float64 / int32", () => {
      expect(matmul(zeros([0, 3]), zeros([3, 4])).shape).toEqual([0, 4]);
      expect(matmul(zeros([2, 0]), zeros([0, 4])).toArray()).toEqual([[0, 0, 0, 0], [0, 0, 0, 0]]);
      expect(matmul(zeros([0, 2, 3]), zeros([3, 4])).shape).toEqual([0, 2, 4]);
      const d = matmul(tensor(new Float64Array([0.1, 0.2]), [1, 2]), tensor(new Float64Array([0.3, 0.4]), [2, 1]));
      expect(d.dtype).toBe("float64");
      expect(d.item()).toBe(0.1 * 0.3 + 0.2 * 0.4);
      const i = matmul(tensor([[1, 2]], undefined, "int32"), tensor([[3], [4]], undefined, "int32"));
      expect(i.dtype).toBe("int32");
      expect(i.item()).toBe(11);
    });

    it("propagates NaN and Infinity", () => {
      const y = matmul(tensor([[NaN, 1], [1, 1]]), tensor([[1, 0], [0, 1]]));
      expect(y.toArray()).toEqual([[NaN, NaN], [1, 1]]);
      expect(matmul(tensor([[Infinity, 1]]), tensor([[1], [1]])).item()).toBe(Infinity);
    });

    it("explains every error with the shapes", () => {
      expect(() => matmul(zeros([2, 8, 64]), zeros([2, 32, 16]))).toThrow("matmul: inner dimensions 64 and 32 do not match (a: [2,8,64], b: [2,32,16])");
      expect(() => matmul(zeros([4, 3]), zeros([4, 5]), { transB: true })).toThrow("matmul: inner dimensions 3 and 5 do not match (a: [4,3], b: [4,5], transB)");
      expect(() => matmul(zeros([2, 3, 4]), zeros([3, 4, 5]))).toThrow("matmul: batch dimensions [2] and [3] cannot be broadcast together (a: [2,3,4], b: [3,4,5])");
      expect(() => matmul(tensor(1), zeros([3]))).toThrow("matmul: both arguments must be at least 1-d (a: [], b: [3])");
      expect(() => matmul(zeros([3]), zeros([3]), { transA: true })).toThrow("matmul: transA/transB apply to operands with at least 2 dimensions (a: [3], b: [3], transA)");
      expect(() => matmul(zeros([2, 2]), zeros([2, 2], "float64"))).toThrow("matmul: operands must share a numeric dtype, got 'float32' and 'float64' (a: [2,2], b: [2,2])");
      expect(() => matmul(zeros([2, 2]), 3 as never)).toThrow("matmul: expected 'b' to be a Tensor, got number");
      expect(() => matmul(zeros([2, 2], "bool"), zeros([2, 2], "bool"))).toThrow("matmul: operands must share a numeric dtype, got 'bool' and 'bool'");
    });
  });
});
