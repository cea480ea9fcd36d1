// The 6×8 register block shared by the packed GEMM (matmul.ts) and the attention forward's two
// products (attention-mk6.ts), for the relaxed-SIMD builds: 12 f32x4 accumulators, FMA.
// A is a 6-row panel (6 floats per step, each splat); B gives two vectors per step, at b and
// b + bHalf, then advances bStep bytes. Accumulator (r, h) — row r of A, vector h of B — is
// stored at c + r·cRow + h·cHalf:
//   GEMM:          bHalf 16, bStep 32 (an 8-column panel); cRow ldc, cHalf 16 (row-major C);
//   scores, P·V:   cRow 16, cHalf = the score tile's 4-row group stride (attention-mk6.ts);
//   P·V reads B from two 4-row groups of the tile: bHalf = that stride, bStep 16.
// Both kernels end in plain stores in row order with no branch and no scale after the loop:
// with 12 accumulators, 2 B vectors and a splat TurboFan has exactly its 15 xmm registers, and
// a conditional store or a live scale factor after the loop made it spill 4 accumulators inside
// the loop (−50 %). So C += A·B is its own kernel that starts from C instead of zero. Both are
// exported from index.ts so that binaryen does not inline them into a caller (which spilled).
// On the 2-core AMD EPYC (Zen 4) reference machine 6×8 runs at the 128-bit FMA peak with data in
// L1 (~54 GFLOP/s, measured with a dependency-free FMA loop), 4×8 at ~46–50.
// All pointers and strides are bytes.
import { madd } from "./expf";

/** C(r, h) = Σ_{p<kc} A(r, p)·B_h(p) for the 6 rows r and 2 vectors h (see the header). */
export function mk6(kc: i32, a: usize, b: usize, bHalf: usize, bStep: usize, c: usize, cRow: usize, cHalf: usize): void {
  let c00 = f32x4.splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
  let c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
  let b2 = b + bHalf;
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(b), b1 = v128.load(b2);
    let x = v128.load32_splat(a); c00 = madd(x, b0, c00); c01 = madd(x, b1, c01);
    x = v128.load32_splat(a, 4); c10 = madd(x, b0, c10); c11 = madd(x, b1, c11);
    x = v128.load32_splat(a, 8); c20 = madd(x, b0, c20); c21 = madd(x, b1, c21);
    x = v128.load32_splat(a, 12); c30 = madd(x, b0, c30); c31 = madd(x, b1, c31);
    x = v128.load32_splat(a, 16); c40 = madd(x, b0, c40); c41 = madd(x, b1, c41);
    x = v128.load32_splat(a, 20); c50 = madd(x, b0, c50); c51 = madd(x, b1, c51);
    a += 24;
    b += bStep;
    b2 += bStep;
  }
  const c1 = c + cRow, c2 = c1 + cRow, c3 = c2 + cRow, c4 = c3 + cRow, c5 = c4 + cRow;
  v128.store(c, c00); v128.store(c + cHalf, c01); v128.store(c1, c10); v128.store(c1 + cHalf, c11);
  v128.store(c2, c20); v128.store(c2 + cHalf, c21); v128.store(c3, c30); v128.store(c3 + cHalf, c31);
  v128.store(c4, c40); v128.store(c4 + cHalf, c41); v128.store(c5, c50); v128.store(c5 + cHalf, c51);
}

/** C(r, h) += Σ_{p<kc} A(r, p)·B_h(p), operands as in mk6. */
export function mk6Acc(kc: i32, a: usize, b: usize, bHalf: usize, bStep: usize, c: usize, cRow: usize, cHalf: usize): void {
  const c1 = c + cRow, c2 = c1 + cRow, c3 = c2 + cRow, c4 = c3 + cRow, c5 = c4 + cRow;
  let c00 = v128.load(c), c01 = v128.load(c + cHalf), c10 = v128.load(c1), c11 = v128.load(c1 + cHalf);
  let c20 = v128.load(c2), c21 = v128.load(c2 + cHalf), c30 = v128.load(c3), c31 = v128.load(c3 + cHalf);
  let c40 = v128.load(c4), c41 = v128.load(c4 + cHalf), c50 = v128.load(c5), c51 = v128.load(c5 + cHalf);
  let b2 = b + bHalf;
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(b), b1 = v128.load(b2);
    let x = v128.load32_splat(a); c00 = madd(x, b0, c00); c01 = madd(x, b1, c01);
    x = v128.load32_splat(a, 4); c10 = madd(x, b0, c10); c11 = madd(x, b1, c11);
    x = v128.load32_splat(a, 8); c20 = madd(x, b0, c20); c21 = madd(x, b1, c21);
    x = v128.load32_splat(a, 12); c30 = madd(x, b0, c30); c31 = madd(x, b1, c31);
    x = v128.load32_splat(a, 16); c40 = madd(x, b0, c40); c41 = madd(x, b1, c41);
    x = v128.load32_splat(a, 20); c50 = madd(x, b0, c50); c51 = madd(x, b1, c51);
    a += 24;
    b += bStep;
    b2 += bStep;
  }
  v128.store(c, c00); v128.store(c + cHalf, c01); v128.store(c1, c10); v128.store(c1 + cHalf, c11);
  v128.store(c2, c20); v128.store(c2 + cHalf, c21); v128.store(c3, c30); v128.store(c3 + cHalf, c31);
  v128.store(c4, c40); v128.store(c4 + cHalf, c41); v128.store(c5, c50); v128.store(c5 + cHalf, c51);
}
