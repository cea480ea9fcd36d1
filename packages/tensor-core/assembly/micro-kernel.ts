// The shared 4×8 SIMD micro-kernel (8 f32x4 accumulators; FMA with relaxed SIMD) behind the
// register-blocked products: the attention tile products of attention-tiles.ts and, in the
// plain-SIMD builds, the packed GEMM of matmul.ts (relaxed SIMD: 6×8, mk6.ts). A 4-row A panel is read either packed (4 contiguous values per step) or in
// place through row/column strides; B is 8 floats per step. All pointers and strides are bytes.
import { madd } from "./expf";

// @ts-expect-error: decorator (AssemblyScript syntax)
@inline export function put(c: usize, v: v128, alpha: v128, acc: bool): void {
  v128.store(c, acc ? madd(v, alpha, v128.load(c)) : f32x4.mul(v, alpha));
}

/**
 * C[r, 0..8] (=|+=) alpha · Σ_{p<kc} A(r, p) · B(p, 0..8) for r < rows ≤ 4, where A(r, p) is
 * the float at a + r·rsA + p·csA and row p of B is 8 floats at b + p·ldb (all strides in bytes;
 * rsA = 4 or csA = 4). C rows are ldc bytes apart; rows past `rows` are neither read nor written.
 * `transposed` (4 rows, A packed, acc false): store the 4×8 result column by column instead, column
 * j as one vector of its 4 rows at c + j·16 (for the transposed products of the attention backward).
 */
export function mk(kc: i32, a: usize, rsA: usize, csA: usize, rows: i32, b: usize, ldb: usize, c: usize, ldc: usize, alpha: f32, acc: bool, transposed: bool = false): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  if (rsA == 4) {
    // the 4 values A(0..4, p) are contiguous (a packed or transposed tile; lanes past `rows` unused)
    for (let p = 0; p < kc; p++) {
      const b0 = v128.load(b), b1 = v128.load(b, 16);
      let x = v128.load32_splat(a);
      c00 = madd(x, b0, c00); c01 = madd(x, b1, c01);
      x = v128.load32_splat(a, 4);
      c10 = madd(x, b0, c10); c11 = madd(x, b1, c11);
      x = v128.load32_splat(a, 8);
      c20 = madd(x, b0, c20); c21 = madd(x, b1, c21);
      x = v128.load32_splat(a, 12);
      c30 = madd(x, b0, c30); c31 = madd(x, b1, c31);
      a += csA;
      b += ldb;
    }
  } else {
    // rows of A: missing rows repeat the last one (computed, never stored)
    const a1 = a + (rows > 1 ? rsA : 0);
    const a2 = a + (rows > 2 ? 2 * rsA : rows > 1 ? rsA : 0);
    const a3 = a + <usize>(rows - 1) * rsA;
    const end = <usize>kc * csA;
    for (let o: usize = 0; o < end; o += csA) {
      const b0 = v128.load(b), b1 = v128.load(b, 16);
      let x = v128.load32_splat(a + o);
      c00 = madd(x, b0, c00); c01 = madd(x, b1, c01);
      x = v128.load32_splat(a1 + o);
      c10 = madd(x, b0, c10); c11 = madd(x, b1, c11);
      x = v128.load32_splat(a2 + o);
      c20 = madd(x, b0, c20); c21 = madd(x, b1, c21);
      x = v128.load32_splat(a3 + o);
      c30 = madd(x, b0, c30); c31 = madd(x, b1, c31);
      b += ldb;
    }
  }
  const al = f32x4.splat(alpha);
  if (transposed) {
    transposeStore(c00, c10, c20, c30, c, al);
    transposeStore(c01, c11, c21, c31, c + 64, al);
    return;
  }
  put(c, c00, al, acc); put(c + 16, c01, al, acc);
  if (rows < 2) return;
  c += ldc;
  put(c, c10, al, acc); put(c + 16, c11, al, acc);
  if (rows < 3) return;
  c += ldc;
  put(c, c20, al, acc); put(c + 16, c21, al, acc);
  if (rows < 4) return;
  c += ldc;
  put(c, c30, al, acc); put(c + 16, c31, al, acc);
}

/** Store the 4×4 block with rows r0..r3 as its 4 columns (alpha times) at t, t + 16, t + 32, t + 48. */
// @ts-expect-error: decorator (AssemblyScript syntax)
@inline export function transposeStore(r0: v128, r1: v128, r2: v128, r3: v128, t: usize, al: v128): void {
  const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
  const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5), t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  v128.store(t, f32x4.mul(v128.shuffle<f32>(t0, t2, 0, 1, 4, 5), al));
  v128.store(t, f32x4.mul(v128.shuffle<f32>(t0, t2, 2, 3, 6, 7), al), 16);
  v128.store(t, f32x4.mul(v128.shuffle<f32>(t1, t3, 0, 1, 4, 5), al), 32);
  v128.store(t, f32x4.mul(v128.shuffle<f32>(t1, t3, 2, 3, 6, 7), al), 48);
}

