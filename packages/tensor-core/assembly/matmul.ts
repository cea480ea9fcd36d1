// Single-precision GEMM for WebAssembly SIMD: C[m,n] (=|+=) A[m,k] · B[k,n].
// A and B are read through strides (element (i,p) of A at a + 4·(i·rsA + p·csA)), so
// transposed operands are packed like plain ones. GotoBLAS/BLIS loop order: B blocks of
// KC×NC are packed into NR-wide panels, A blocks of MC×KC into MR-high panels, and a
// register-blocked MR×NR micro-kernel sweeps them: 6×8 with relaxed SIMD (12 f32x4 accumulators,
// FMA; mk6.ts), the shared 4×8 (micro-kernel.ts) with plain SIMD, where 6×8 spills
// (a multiply-add without FMA needs a 16th register: 1.5× slower).
// Small products (k·⌈n⌉₄ <= SMALL_B) skip packing: B is copied once into a dense block and A
// is read in place (see sgemmSmall). All pointers are byte offsets into linear memory owned
// by the JS side.
//
// Tried and measured slower under V8 (TurboFan places every load of an iteration before its
// multiply-adds, and has 15 xmm registers for values): 4×8 unrolled twice in k and 6×8 with
// a branch or scale after the loop (accumulators spilled: a store-to-load chain per step,
// −30%), 3×12 (9 accumulators, no spill, −12%), A splat by shuffles from one vector load (4×8
// and 5×8, −5%), A packed pre-splat (plain vector loads, −8%), and other KC/MC/NC (within
// noise; with 6×8, MC 48 and 120 against 72 too).

import { madd } from "./expf";
import { mk6, mk6Acc } from "./mk6";
import { mk } from "./micro-kernel";

/** Rows of the register block: 6×8 (mk6.ts) with relaxed SIMD, the shared 4×8 otherwise. */
export const MR: i32 = ASC_FEATURE_RELAXED_SIMD ? 6 : 4;
export const NR: i32 = 8;
const KC: i32 = 512;
const MC: i32 = ASC_FEATURE_RELAXED_SIMD ? 72 : 64;
const NC: i32 = 2048;

/** Bytes of work space `sgemm` needs after `work` (packed A block + packed B block + edge tile). */
export function gemmWorkBytes(): i32 {
  return (MC * KC + KC * NC + MR * NR) * 4;
}

/**
 * Transpose 4 rows (row stride `ld` bytes, k4 floats each, k4 a multiple of 4): the 4 values
 * of column p are stored at dst + p·colBytes (colBytes = 4·panel width).
 */
function transposeRows(src: usize, ld: usize, k4: i32, dst: usize, colBytes: usize): void {
  for (let p = 0; p < k4; p += 4) {
    const s = src + (<usize>p << 2);
    const r0 = v128.load(s), r1 = v128.load(s + ld), r2 = v128.load(s + 2 * ld), r3 = v128.load(s + 3 * ld);
    const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
    const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5), t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
    const d = dst + <usize>p * colBytes;
    v128.store(d, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
    v128.store(d + colBytes, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
    v128.store(d + 2 * colBytes, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
    v128.store(d + 3 * colBytes, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
  }
}

/** Rows 4 and 5 of a 6-row panel: the 2 values of column p of the 2 rows (ld bytes apart) at dst + p·24. */
function pairRows(src: usize, ld: usize, k4: i32, dst: usize): void {
  for (let p = 0; p < k4; p += 4) {
    const s = src + (<usize>p << 2);
    const r0 = v128.load(s), r1 = v128.load(s + ld);
    const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
    const d = dst + <usize>p * 24;
    v128.store64_lane(d, t0, 0);
    v128.store64_lane(d, t0, 1, 24);
    v128.store64_lane(d, t1, 0, 48);
    v128.store64_lane(d, t1, 1, 72);
  }
}

/** Pack rows [i0, i0+mc) × cols [p0, p0+kc) of A into MR-row panels (zero padded). */
function packA(a: usize, rs: i32, cs: i32, i0: i32, mc: i32, p0: i32, kc: i32, dst: usize): void {
  for (let ip = 0; ip < mc; ip += MR) {
    const rows = min(MR, mc - ip);
    const panel = dst + <usize>(ip * kc) * 4;
    if (rows == MR && rs == 1) {
      // transposed A: the MR values of one column are contiguous
      for (let p = 0; p < kc; p++) {
        const src = a + <usize>((i0 + ip) + (p0 + p) * cs) * 4;
        const d = panel + <usize>(p * MR) * 4;
        v128.store(d, v128.load(src));
        if (MR == 6) store<u64>(d + 16, load<u64>(src + 16));
      }
      continue;
    }
    if (rows == MR && cs == 1) {
      // plain A: 4×4 blocks transposed in registers, scalar tail
      const src = a + <usize>((i0 + ip) * rs + p0) * 4;
      const k4 = kc & ~3;
      transposeRows(src, <usize>rs * 4, k4, panel, MR * 4);
      if (MR == 6) pairRows(src + <usize>(4 * rs) * 4, <usize>rs * 4, k4, panel + 16);
      for (let p = k4; p < kc; p++) {
        for (let r = 0; r < MR; r++) store<f32>(panel + <usize>(p * MR + r) * 4, load<f32>(src + <usize>(r * rs + p) * 4));
      }
      continue;
    }
    for (let r = 0; r < MR; r++) {
      let d = panel + <usize>r * 4;
      if (r < rows) {
        let src = a + <usize>((i0 + ip + r) * rs + p0 * cs) * 4;
        const step = <usize>cs * 4;
        for (let p = 0; p < kc; p++) {
          store<f32>(d, load<f32>(src));
          src += step;
          d += MR * 4;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          store<f32>(d, 0);
          d += MR * 4;
        }
      }
    }
  }
}

/** Pack rows [p0, p0+kc) × cols [j0, j0+nc) of B into NR-column panels (zero padded). */
function packB(b: usize, rs: i32, cs: i32, p0: i32, kc: i32, j0: i32, nc: i32, dst: usize): void {
  for (let jp = 0; jp < nc; jp += NR) {
    const cols = min(NR, nc - jp);
    const panel = dst + <usize>(jp * kc) * 4;
    if (cols == NR && rs == 1) {
      // transposed B: each column is contiguous; two 4-column halves transposed in registers
      const src = b + <usize>((j0 + jp) * cs + p0) * 4;
      const k4 = kc & ~3;
      transposeRows(src, <usize>cs * 4, k4, panel, NR * 4);
      transposeRows(src + <usize>(4 * cs) * 4, <usize>cs * 4, k4, panel + 16, NR * 4);
      for (let p = k4; p < kc; p++) {
        for (let c = 0; c < NR; c++) store<f32>(panel + <usize>(p * NR + c) * 4, load<f32>(src + <usize>(c * cs + p) * 4));
      }
      continue;
    }
    if (cols == NR && cs == 1) {
      for (let p = 0; p < kc; p++) {
        const src = b + <usize>((p0 + p) * rs + j0 + jp) * 4;
        const d = panel + <usize>(p * NR) * 4;
        v128.store(d, v128.load(src));
        v128.store(d, v128.load(src, 16), 16);
      }
      continue;
    }
    for (let c = 0; c < NR; c++) {
      let d = panel + <usize>c * 4;
      if (c < cols) {
        let src = b + <usize>(p0 * rs + (j0 + jp + c) * cs) * 4;
        const step = <usize>rs * 4;
        for (let p = 0; p < kc; p++) {
          store<f32>(d, load<f32>(src));
          src += step;
          d += NR * 4;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          store<f32>(d, 0);
          d += NR * 4;
        }
      }
    }
  }
}

// @ts-expect-error: decorator (AssemblyScript syntax)
@inline function upd(c: usize, v: v128, acc: bool): void {
  v128.store(c, acc ? f32x4.add(v128.load(c), v) : v);
}

/** MR×NR product of packed panels (6×8 or the shared 4×8 micro-kernel); writes (or adds to) the tile at c with row stride ldc bytes. */
// @ts-expect-error: decorator (AssemblyScript syntax)
@inline function micro(pa: usize, pb: usize, kc: i32, c: usize, ldc: usize, acc: bool): void {
  if (MR == 6) {
    if (acc) mk6Acc(kc, pa, pb, 16, 32, c, ldc, 16);
    else mk6(kc, pa, pb, 16, 32, c, ldc, 16);
  } else {
    mk(kc, pa, 4, MR * 4, MR, pb, NR * 4, c, ldc, 1, acc);
  }
}

/** Edge tile: compute the full MR×NR tile into `tile`, then write its rows×cols corner. */
function microEdge(pa: usize, pb: usize, kc: i32, c: usize, ldc: usize, acc: bool, rows: i32, cols: i32, tile: usize): void {
  micro(pa, pb, kc, tile, NR * 4, false);
  for (let r = 0; r < rows; r++) {
    const t = tile + <usize>(r * NR) * 4;
    const d = c + <usize>r * ldc;
    for (let j = 0; j < cols; j++) {
      const o = <usize>j * 4;
      const v = load<f32>(t + o);
      store<f32>(d + o, acc ? load<f32>(d + o) + v : v);
    }
  }
}

// ---- small products: no packing of A, B copied once into a dense k×np block (np = n rounded up to 4)

/** Largest k·np (and m·k for a transposed A) for which `sgemm` takes the small path. */
const SMALL_B: i32 = 8192;

/** Store (or add) lanes 0..w-1 of v at d (0 < w <= 4). */
// @ts-expect-error: decorator (AssemblyScript syntax)
@inline function storeLanes(d: usize, v: v128, w: i32, acc: bool): void {
  if (w >= 4) {
    upd(d, v, acc);
    return;
  }
  if (acc) v = f32x4.add(v, v128.load64_zero(d)); // lanes 0, 1; lane 2 below
  v128.store32_lane(d, v, 0);
  if (w > 1) v128.store32_lane(d, v, 1, 4);
  if (w > 2) store<f32>(d, f32x4.extract_lane(v, 2) + (acc ? load<f32>(d, 8) : 0), 8);
}

/** One row of a small tile: w (1..8) columns from two accumulators. */
// @ts-expect-error: decorator (AssemblyScript syntax)
@inline function storeRow(d: usize, v0: v128, v1: v128, w: i32, acc: bool): void {
  if (w >= 8) {
    upd(d, v0, acc);
    upd(d + 16, v1, acc);
  } else if (w > 4) {
    upd(d, v0, acc);
    storeLanes(d + 16, v1, w - 4, acc);
  } else {
    storeLanes(d, v0, w, acc);
  }
}

/**
 * Up to 4 rows × up to 8 columns of C from A read in place (row pointers a0..a3, column step sa
 * bytes) and the dense B block at pb (row stride ldb bytes). Rows beyond `rows` repeat row 0
 * (valid addresses) and are not stored.
 * Not the shared micro-kernel (micro-kernel.ts) on purpose: B rows here are ⌈n⌉₄ wide, not 8, so
 * this tile also has a 4-column form, and columns past `cols` are stored lane by lane; running
 * `mk` would need B padded to 8 columns and C tails written through a scratch tile, extra copies
 * that the small products this path exists for cannot amortise.
 */
function smallTile(a0: usize, a1: usize, a2: usize, a3: usize, sa: usize, pb: usize, ldb: usize, k: i32, c: usize, ldc: usize, rows: i32, cols: i32, acc: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  if (rows > 2) {
    if (cols > 4) {
      for (let p = 0; p < k; p++) {
        const b0 = v128.load(pb);
        const b1 = v128.load(pb, 16);
        let a = v128.load32_splat(a0);
        c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
        a = v128.load32_splat(a1);
        c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
        a = v128.load32_splat(a2);
        c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
        a = v128.load32_splat(a3);
        c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
        a0 += sa; a1 += sa; a2 += sa; a3 += sa;
        pb += ldb;
      }
    } else {
      for (let p = 0; p < k; p++) {
        const b0 = v128.load(pb);
        c00 = madd(v128.load32_splat(a0), b0, c00);
        c10 = madd(v128.load32_splat(a1), b0, c10);
        c20 = madd(v128.load32_splat(a2), b0, c20);
        c30 = madd(v128.load32_splat(a3), b0, c30);
        a0 += sa; a1 += sa; a2 += sa; a3 += sa;
        pb += ldb;
      }
    }
  } else if (cols > 4) {
    for (let p = 0; p < k; p++) {
      const b0 = v128.load(pb);
      const b1 = v128.load(pb, 16);
      let a = v128.load32_splat(a0);
      c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
      a = v128.load32_splat(a1);
      c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
      a0 += sa; a1 += sa;
      pb += ldb;
    }
  } else {
    for (let p = 0; p < k; p++) {
      const b0 = v128.load(pb);
      c00 = madd(v128.load32_splat(a0), b0, c00);
      c10 = madd(v128.load32_splat(a1), b0, c10);
      a0 += sa; a1 += sa;
      pb += ldb;
    }
  }
  storeRow(c, c00, c01, cols, acc);
  if (rows > 1) storeRow(c + ldc, c10, c11, cols, acc);
  if (rows > 2) storeRow(c + 2 * ldc, c20, c21, cols, acc);
  if (rows > 3) storeRow(c + 3 * ldc, c30, c31, cols, acc);
}

/** The small path of `sgemm` (k·np <= SMALL_B, k > 0). */
function sgemmSmall(
  m: i32, n: i32, k: i32,
  a: usize, rsA: i32, csA: i32,
  b: usize, rsB: i32, csB: i32,
  c: usize, ldcB: usize, work: usize, acc: bool,
): void {
  const np = (n + 3) & ~3;
  const ldb = <usize>np * 4;
  // dense copy of B, zero padded to np columns
  if (csB == 1) {
    const n4 = n & ~3;
    for (let p = 0; p < k; p++) {
      const src = b + <usize>(p * rsB) * 4;
      const d = work + <usize>p * ldb;
      for (let j = 0; j < n4; j += 4) v128.store(d + (<usize>j << 2), v128.load(src + (<usize>j << 2)));
      if (n4 < n) {
        v128.store(d + (<usize>n4 << 2), f32x4.splat(0));
        for (let j = n4; j < n; j++) store<f32>(d + (<usize>j << 2), load<f32>(src + (<usize>j << 2)));
      }
    }
  } else {
    // columns of B (contiguous when transposed, rsB == 1): 4 at a time transposed in registers
    const step = <usize>csB * 4;
    const n4 = rsB == 1 ? n & ~3 : 0;
    const k4 = k & ~3;
    for (let j = 0; j < n4; j += 4) {
      const src = b + <usize>j * step;
      const d = work + (<usize>j << 2);
      transposeRows(src, step, k4, d, ldb);
      for (let p = k4; p < k; p++) {
        const s = src + (<usize>p << 2);
        v128.store(d + <usize>p * ldb, f32x4(load<f32>(s), load<f32>(s + step), load<f32>(s + 2 * step), load<f32>(s + 3 * step)));
      }
    }
    if (n4 < n) {
      for (let p = 0; p < k; p++) {
        const d = work + <usize>p * ldb;
        v128.store(d + (<usize>(np - 4) << 2), f32x4.splat(0));
        let src = b + <usize>(p * rsB + n4 * csB) * 4;
        for (let j = n4; j < n; j++) {
          store<f32>(d + (<usize>j << 2), load<f32>(src));
          src += step;
        }
      }
    }
  }
  const ra = <usize>rsA * 4;
  const sa = <usize>csA * 4;
  for (let i = 0; i < m; i += 4) {
    const rows = min(4, m - i);
    const a0 = a + <usize>i * ra;
    const a1 = rows > 1 ? a0 + ra : a0;
    const a2 = rows > 2 ? a0 + 2 * ra : a0;
    const a3 = rows > 3 ? a0 + 3 * ra : a0;
    const ci = c + <usize>i * ldcB;
    for (let j = 0; j < n; j += 8) {
      smallTile(a0, a1, a2, a3, sa, work + (<usize>j << 2), ldb, k, ci + (<usize>j << 2), ldcB, rows, min(8, n - j), acc);
    }
  }
}

/**
 * C = A·B (or C += A·B when `accumulate`) for an m×k A (strides rsA, csA in elements), a k×n
 * B (rsB, csB) and a row-major m×n C with row stride ldc. `work` must hold gemmWorkBytes()
 * bytes, 16-byte aligned.
 */
export function sgemm(
  m: i32, n: i32, k: i32,
  a: usize, rsA: i32, csA: i32,
  b: usize, rsB: i32, csB: i32,
  c: usize, ldc: i32, work: usize, accumulate: bool,
): void {
  if (m <= 0 || n <= 0) return;
  const pa = work;
  const pb = work + <usize>(MC * KC) * 4;
  const tile = pb + <usize>(KC * NC) * 4;
  const ldcB = <usize>ldc * 4;
  if (k <= 0) {
    if (!accumulate) for (let i = 0; i < m; i++) memory.fill(c + <usize>i * ldcB, 0, <usize>n * 4);
    return;
  }
  // small path: B's dense copy fits L1d; A read in place, so a transposed A (read down its
  // columns, a cache line per step of k) must be small too (else packing it wins)
  if (k * ((n + 3) & ~3) <= SMALL_B && (csA == 1 || m * k <= SMALL_B)) {
    sgemmSmall(m, n, k, a, rsA, csA, b, rsB, csB, c, ldcB, work, accumulate);
    return;
  }
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      const acc = accumulate || pc > 0;
      packB(b, rsB, csB, pc, kc, jc, nc, pb);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packA(a, rsA, csA, ic, mc, pc, kc, pa);
        for (let jr = 0; jr < nc; jr += NR) {
          const cols = min(NR, nc - jr);
          const bp = pb + <usize>(jr * kc) * 4;
          for (let ir = 0; ir < mc; ir += MR) {
            const rows = min(MR, mc - ir);
            const ap = pa + <usize>(ir * kc) * 4;
            const cp = c + <usize>(ic + ir) * ldcB + <usize>(jc + jr) * 4;
            if (rows == MR && cols == NR) micro(ap, bp, kc, cp, ldcB, acc);
            else microEdge(ap, bp, kc, cp, ldcB, acc, rows, cols, tile);
          }
        }
      }
    }
  }
}
