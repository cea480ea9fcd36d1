// The register-blocked tile products and packing of the fused attention kernels
// (assembly/attention.ts): a 4×8 micro-kernel over 8-wide B panels, A read in place or packed
// into 4-row panels, a transposed-A variant for P̃ᵀ·dO and dSᵀ·Q, and the row copies that pad
// odd widths to multiples of 8. All pointers and strides are bytes unless named otherwise.
import { mk } from "./micro-kernel";

export { mk };

/**
 * C (=|+=) alpha · A·B for an m×k A read in place (A(i, p) at a + i·rsA + p·csA bytes) and a
 * k×n8 B (n8 a multiple of 8) whose columns 8j'..8j'+8 are rows of 8 floats ldb bytes apart
 * from b + j'·bstep: row-major B has bstep 32, 8-column panels have ldb 32. C rows ldc bytes apart.
 */
export function gemm8(m: i32, n8: i32, k: i32, a: usize, rsA: usize, csA: usize, b: usize, ldb: usize, bstep: usize, c: usize, ldc: usize, alpha: f32, acc: bool): void {
  for (let i = 0; i < m; i += 4) {
    const rows = min(4, m - i);
    const ai = a + <usize>i * rsA;
    const ci = c + <usize>i * ldc;
    for (let j = 0; j < n8; j += 8) mk(k, ai, rsA, csA, rows, b + <usize>(j >> 3) * bstep, ldb, ci + (<usize>j << 2), ldc, alpha, acc);
  }
}

/**
 * Rows 0..m of a row-major A (row stride rs bytes, k floats each) into 4-row panels for `mk`:
 * dst[(i/4)·k·4 + p·4 + i%4].
 */
export function packA4(a: usize, rs: usize, m: i32, k: i32, dst: usize): void {
  const k4 = k & ~3;
  for (let i = 0; i < m; i += 4) {
    const panel = dst + <usize>(i * k) * 4;
    // rows past m repeat row m − 1 (their lanes are never stored)
    const last = <usize>(m - 1 - i);
    const o0 = a + <usize>i * rs, o1 = o0 + min<usize>(1, last) * rs, o2 = o0 + min<usize>(2, last) * rs, o3 = o0 + min<usize>(3, last) * rs;
    for (let p = 0; p < k4; p += 4) {
      const x = <usize>p << 2;
      const r0 = v128.load(o0 + x), r1 = v128.load(o1 + x), r2 = v128.load(o2 + x), r3 = v128.load(o3 + x);
      const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
      const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5), t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
      const d = panel + (<usize>p << 4);
      v128.store(d, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
      v128.store(d, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7), 16);
      v128.store(d, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5), 32);
      v128.store(d, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7), 48);
    }
    for (let p = k4; p < k; p++) {
      const x = <usize>p << 2;
      const d = panel + (<usize>p << 4);
      store<f32>(d, load<f32>(o0 + x)); store<f32>(d, load<f32>(o1 + x), 4);
      store<f32>(d, load<f32>(o2 + x), 8); store<f32>(d, load<f32>(o3 + x), 12);
    }
  }
}

/**
 * Columns 0..n of a row-major tile (rows ldt bytes apart) as the rows of 4-row panels for `mk`
 * (the tile transposed): dst[(j/4)·rows·4 + i·4 + j%4] = tile(i, j), columns up to ⌈n⌉₄.
 */
export function packT4(t: usize, ldt: usize, rows: i32, n: i32, dst: usize): void {
  const panel = <usize>rows << 4;
  for (let i = 0; i < rows; i++) {
    const src = t + <usize>i * ldt;
    let d = dst + (<usize>i << 4);
    for (let j = 0; j < n; j += 4) {
      v128.store(d, v128.load(src + (<usize>j << 2)));
      d += panel;
    }
  }
}

/** gemm8 with A packed by packA4. */
export function gemm8p(m: i32, n8: i32, k: i32, pa: usize, b: usize, ldb: usize, bstep: usize, c: usize, ldc: usize, alpha: f32, acc: bool, panelBytes: usize = 0): void {
  const ps = panelBytes != 0 ? panelBytes : <usize>k << 4;
  for (let i = 0; i < m; i += 4) {
    const rows = min(4, m - i);
    const ai = pa + <usize>(i >> 2) * ps;
    const ci = c + <usize>i * ldc;
    for (let j = 0; j < n8; j += 8) mk(k, ai, 4, 16, rows, b + <usize>(j >> 3) * bstep, ldb, ci + (<usize>j << 2), ldc, alpha, acc);
  }
}

/** Rows 0..n of x (width floats each, rows ld floats apart) into panels of 8 rows: dst[(j/8)·width·8 + e·8 + j%8]. */
export function packPanels(x: usize, n: i32, width: i32, ldx: i32, dst: usize): void {
  const ld = <usize>ldx << 2;
  const w4 = width & ~3;
  for (let j0 = 0; j0 < n; j0 += 4) {
    const panel = dst + <usize>((j0 >> 3) * width * 8 + (j0 & 4)) * 4;
    // rows past n repeat row n − 1 (columns past n of a product are never read)
    const last = <usize>(n - 1 - j0);
    const o0 = x + <usize>j0 * ld, o1 = o0 + min<usize>(1, last) * ld, o2 = o0 + min<usize>(2, last) * ld, o3 = o0 + min<usize>(3, last) * ld;
    for (let e = 0; e < w4; e += 4) {
      const s = <usize>e << 2;
      const r0 = v128.load(o0 + s), r1 = v128.load(o1 + s), r2 = v128.load(o2 + s), r3 = v128.load(o3 + s);
      const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
      const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5), t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
      const d = panel + <usize>e * 32;
      v128.store(d, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
      v128.store(d, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7), 32);
      v128.store(d, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5), 64);
      v128.store(d, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7), 96);
    }
    for (let e = w4; e < width; e++) {
      const s = <usize>e << 2;
      const d = panel + <usize>e * 32;
      store<f32>(d, load<f32>(o0 + s)); store<f32>(d, load<f32>(o1 + s), 4);
      store<f32>(d, load<f32>(o2 + s), 8); store<f32>(d, load<f32>(o3 + s), 12);
    }
  }
  // a last panel with keys in its first half only: zero the second half
  if ((n & 7) != 0 && (n & 7) <= 4) {
    const panel = dst + <usize>((n >> 3) * width * 8 + 4) * 4;
    for (let e = 0; e < width; e++) v128.store(panel + <usize>e * 32, f32x4.splat(0));
  }
}

/** Copy rows 0..n of x (width floats each, rows ldx floats apart) to rows of width8 floats (zero padded). */
export function padRows(x: usize, n: i32, width: i32, ldx: i32, width8: i32, dst: usize): void {
  for (let j = 0; j < n; j++) {
    const d = dst + (<usize>(j * width8) << 2);
    memory.copy(d, x + (<usize>(j * ldx) << 2), <usize>width << 2);
    memory.fill(d + (<usize>width << 2), 0, <usize>(width8 - width) << 2);
  }
}

/** acc[j·ldAcc + e] += x[j·width8 + e] for j < n, e < width. */
export function addRows(acc: usize, ldAcc: i32, x: usize, n: i32, width: i32, width8: i32): void {
  const w4 = width & ~3;
  for (let j = 0; j < n; j++) {
    const d = acc + (<usize>(j * ldAcc) << 2);
    const s = x + (<usize>(j * width8) << 2);
    for (let e = 0; e < w4; e += 4) v128.store(d + (<usize>e << 2), f32x4.add(v128.load(d + (<usize>e << 2)), v128.load(s + (<usize>e << 2))));
    for (let e = w4; e < width; e++) store<f32>(d + (<usize>e << 2), load<f32>(d + (<usize>e << 2)) + load<f32>(s + (<usize>e << 2)));
  }
}
