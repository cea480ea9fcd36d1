// The packed GEMM's 6×8 register block for the relaxed-SIMD builds (12 f32x4 accumulators,
// FMA): A in 6-row panels (6 floats per step of k), B in 8-column panels (8 floats per step).
// Like the attention forward's 6×8 products (attention-mk6.ts), the kernels end in plain
// stores in row order (c00, c01, c10, c11, …) with no branch and no scale, so that TurboFan
// keeps the 12 accumulators, 2 B vectors and the splat in its 15 xmm registers; C += A·B
// therefore has its own kernel that starts from C instead of zero. Both are exported from
// index.ts so that binaryen does not inline them into their caller (which spilled).
// All pointers and strides are bytes.
import { madd } from "./expf";

/** C[0..6, 0..8] = Σ_{p<kc} A(r, p)·B(p, 0..8): a 6-row panel at a, an 8-column panel at b; C rows ldc bytes apart. */
export function mk6g(kc: i32, a: usize, b: usize, c: usize, ldc: usize): void {
  let c00 = f32x4.splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
  let c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(b), b1 = v128.load(b, 16);
    let x = v128.load32_splat(a); c00 = madd(x, b0, c00); c01 = madd(x, b1, c01);
    x = v128.load32_splat(a, 4); c10 = madd(x, b0, c10); c11 = madd(x, b1, c11);
    x = v128.load32_splat(a, 8); c20 = madd(x, b0, c20); c21 = madd(x, b1, c21);
    x = v128.load32_splat(a, 12); c30 = madd(x, b0, c30); c31 = madd(x, b1, c31);
    x = v128.load32_splat(a, 16); c40 = madd(x, b0, c40); c41 = madd(x, b1, c41);
    x = v128.load32_splat(a, 20); c50 = madd(x, b0, c50); c51 = madd(x, b1, c51);
    a += 24;
    b += 32;
  }
  const c1 = c + ldc, c2 = c1 + ldc, c3 = c2 + ldc, c4 = c3 + ldc, c5 = c4 + ldc;
  v128.store(c, c00); v128.store(c, c01, 16); v128.store(c1, c10); v128.store(c1, c11, 16);
  v128.store(c2, c20); v128.store(c2, c21, 16); v128.store(c3, c30); v128.store(c3, c31, 16);
  v128.store(c4, c40); v128.store(c4, c41, 16); v128.store(c5, c50); v128.store(c5, c51, 16);
}

/** C[0..6, 0..8] += Σ_{p<kc} A(r, p)·B(p, 0..8), panels and C as in mk6g. */
export function mk6gAcc(kc: i32, a: usize, b: usize, c: usize, ldc: usize): void {
  const c1 = c + ldc, c2 = c1 + ldc, c3 = c2 + ldc, c4 = c3 + ldc, c5 = c4 + ldc;
  let c00 = v128.load(c), c01 = v128.load(c, 16), c10 = v128.load(c1), c11 = v128.load(c1, 16);
  let c20 = v128.load(c2), c21 = v128.load(c2, 16), c30 = v128.load(c3), c31 = v128.load(c3, 16);
  let c40 = v128.load(c4), c41 = v128.load(c4, 16), c50 = v128.load(c5), c51 = v128.load(c5, 16);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(b), b1 = v128.load(b, 16);
    let x = v128.load32_splat(a); c00 = madd(x, b0, c00); c01 = madd(x, b1, c01);
    x = v128.load32_splat(a, 4); c10 = madd(x, b0, c10); c11 = madd(x, b1, c11);
    x = v128.load32_splat(a, 8); c20 = madd(x, b0, c20); c21 = madd(x, b1, c21);
    x = v128.load32_splat(a, 12); c30 = madd(x, b0, c30); c31 = madd(x, b1, c31);
    x = v128.load32_splat(a, 16); c40 = madd(x, b0, c40); c41 = madd(x, b1, c41);
    x = v128.load32_splat(a, 20); c50 = madd(x, b0, c50); c51 = madd(x, b1, c51);
    a += 24;
    b += 32;
  }
  v128.store(c, c00); v128.store(c, c01, 16); v128.store(c1, c10); v128.store(c1, c11, 16);
  v128.store(c2, c20); v128.store(c2, c21, 16); v128.store(c3, c30); v128.store(c3, c31, 16);
  v128.store(c4, c40); v128.store(c4, c41, 16); v128.store(c5, c50); v128.store(c5, c51, 16);
}
