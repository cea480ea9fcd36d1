import { describe, expect, it } from "vitest";
import { Generator } from "../../random.js";
import { gemm, type MatView } from "./matmul-gemm.js";

/** acc[i, j] += Σ_k A(i, k) B(k, j), the obvious way. */
function naive(M: number, N: number, K: number, A: MatView, B: MatView, acc: Float64Array): void {
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += A.data[A.offset + i * A.rs + k * A.cs]! * B.data[B.offset + k * B.rs + j * B.cs]!;
      acc[i * N + j]! += s;
    }
  }
}

describe("gemm", () => {
  const rng = new Generator(21);
  const random = (n: number): Float64Array => Float64Array.from({ length: n }, () => rng.nextNormal());

  it.each([
    [1, 1, 1], [4, 4, 4], [5, 7, 3], [64, 4, 256], [65, 9, 257], [3, 513, 2], [0, 3, 4], [3, 0, 4], [3, 4, 0],
  ])("M=%d N=%d K=%d through strided, offset views (both layouts) adds into acc", (M, N, K) => {
    for (const [ta, tb] of [[false, false], [true, true]]) {
      const a = random(M * K + 3);
      const b = random(K * N + 5);
      const A: MatView = { data: a, offset: 3, rs: ta ? 1 : K, cs: ta ? M : 1 };
      const B: MatView = { data: b, offset: 5, rs: tb ? 1 : N, cs: tb ? K : 1 };
      const start = random(M * N);
      const got = start.slice();
      const want = start.slice();
      gemm(M, N, K, A, B, got);
      naive(M, N, K, A, B, want);
      for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i]!, 9);
    }
  });
});
