// Fused exact attention for one problem b and a block of query rows at a time (extra memory:
// two [rows, S] tiles per thread, never L·S, plus per-thread copies of one problem's K and V):
//   forward:  T = scale·Q_blk·Kᵀ + mask (causal: −∞ above the diagonal), P = softmax rows,
//             out_blk = (P ∘ dropout)·V, logsumexp saved per row;
//   backward: P = exp(T − logsumexp), dP = dO_blk·Vᵀ, dS = P ∘ (dropout·dP − δ), δ_i = dO_i·O_i,
//             dV += (P ∘ dropout)ᵀ·dO_blk, dQ_blk += scale·dS·K, dK += scale·dSᵀ·Q_blk, dMask += dS.
// A row whose scores are all −∞ gives output 0, logsumexp −∞ and zero gradients.
// Every product is one 4×8 register-blocked micro-kernel (`mk`, 8 f32x4 accumulators) that
// reads its left operand as 4-row panels (Q, dO and dS packed per row block, the forward's
// score tile kept in that layout, P and dS read transposed in place) and its right operand
// as rows of 8 contiguous floats: Kᵀ and Vᵀ packed once per task into 8-key panels; V, K, Q
// and dO read in place when their width is a multiple of 8, else copied with zero padding.
// No general GEMM packing, so the many tiny problems of a small model (L = S ≈ 10, E = 32)
// stay cheap. Scores are kept in log2 units (exp2 is cheaper than exp); masks, dropout (the
// counter hash of fused/dropout-hash.ts, 4 lanes at a time), δ and logsumexp are vectorised.
// Problem parameters live in a descriptor of i32 words (pointers are byte addresses); the
// descriptor also locates each thread's scratch (SCR + t·SCR_BYTES for the thread whose work
// area is WORK0 + t·WORK_BYTES). Rows are strided (the contract's optional layout): row i of
// problem b's q starts at float QOFF[b] + i·QROW of q, likewise k (KROW), v (VROW), and out,
// gradOut (OOFF[b] + i·OROW); dq, dk, dv are laid out as q, k, v.
import { gemmWorkBytes } from "./gemm";
import { exp2x4, log2x4, madd } from "./expf";

export const ATT_ROWS: i32 = 64;
export const TILE_FLOATS: i32 = 64 * 2048;
// Scores are kept in log2 units (scale·log2 e folded into the product) so that the weights
// are 2^(t − max) (exp2x4, cheaper than exp); the saved logsumexp is in natural units.
const LOG2E: f32 = 1.4426950408889634;
const LN2: f32 = 0.6931471805599453;

const Q = 0, K = 1, V = 2, OUT = 3, LSE = 4, L_ = 5, S_ = 6, E_ = 7, EV = 8, SCALE = 9, MASK = 10, MKIND = 11;
const MSL = 12, MSS = 13, CAUSAL = 14, SEED = 16, QOFF = 17, KOFF = 18, VOFF = 19, MOFF = 20;
const PARTS = 15, GO = 21, DQ = 22, DK = 23, DV = 24, DMASK = 25, SCR = 26, SCR_BYTES = 27, WORK0 = 28, WORK_BYTES = 29;
const DROP_P_F64 = 30, QROW = 32, KROW = 33, VROW = 34, OROW = 35, OOFF = 36;

// @ts-ignore: decorator
@inline function w(d: usize, i: i32): i32 { return load<i32>(d + (<usize>i << 2)); }
// @ts-ignore: decorator
@inline function off(d: usize, arr: i32, b: i32): i32 { return load<i32>(<usize>w(d, arr) + (<usize>b << 2)); }
// @ts-ignore: decorator
@inline function r8(x: i32): i32 { return (x + 7) & ~7; }

function fmix32(x: u32): u32 {
  let h = x;
  h ^= h >>> 16;
  h *= 0x85ebca6b;
  h ^= h >>> 13;
  h *= 0xc2b2ae35;
  h ^= h >>> 16;
  return h;
}

// @ts-ignore: decorator
@inline function fmix4(x: v128): v128 {
  let h = v128.xor(x, i32x4.shr_u(x, 16));
  h = i32x4.mul(h, i32x4.splat(0x85ebca6b));
  h = v128.xor(h, i32x4.shr_u(h, 13));
  h = i32x4.mul(h, i32x4.splat(0xc2b2ae35));
  return v128.xor(h, i32x4.shr_u(h, 16));
}

/** Hash of a row: fmix32(fmix32(seed ^ 0x9e3779b9) ^ row), the column-independent half of the hash. */
function rowHash(seed: u32, row: i32): u32 {
  return fmix32(fmix32(seed ^ 0x9e3779b9) ^ <u32>row);
}

/** Dropout factor of weight (row, col): 0 if dropped, 1/(1 − p) if kept (as fused/dropout-hash.ts). */
function dropFactor(rh: u32, col: i32, p: f64): f32 {
  const h = fmix32(rh + <u32>col * 0x27d4eb2f);
  return <f64>h / 4294967296.0 < p ? 0 : <f32>(1.0 / (1.0 - p));
}

/**
 * Dropout factors of columns j..j+3 (rh = rowHash): h/2³² < p ⇔ h < ⌈p·2³²⌉ for integer h
 * (p·2³² is exact), so a lane is kept where h ≥ thr (unsigned); `all` drops every lane (thr = 2³²).
 */
// @ts-ignore: decorator
@inline function dropFactor4(rh: v128, j: i32, thr: v128, fac: v128): v128 {
  // (j + lane)·0x27d4eb2f mod 2³²
  const cols = i32x4.add(i32x4.splat(j * 0x27d4eb2f), i32x4(0, 0x27d4eb2f, 2 * 0x27d4eb2f, 3 * 0x27d4eb2f));
  const h = fmix4(i32x4.add(rh, cols));
  return v128.and(i32x4.ge_u(h, thr), fac);
}

/** ⌈p·2³²⌉ as the unsigned lane threshold of dropFactor4, or 0 with `dropFac` 0 when every weight is dropped. */
function dropThr(p: f64): v128 {
  const t = Math.ceil(p * 4294967296.0);
  return i32x4.splat(t >= 4294967296.0 ? 0 : <i32><u32>t);
}

function dropFac(p: f64): v128 {
  return f32x4.splat(Math.ceil(p * 4294967296.0) >= 4294967296.0 ? 0 : <f32>(1.0 / (1.0 - p)));
}

/** Tile bytes needed after gemmWorkBytes() in a thread's work area. */
export function attentionWorkBytes(): i32 {
  return (2 * TILE_FLOATS + ATT_ROWS) * 4;
}

// @ts-ignore: decorator
@inline function put(c: usize, v: v128, alpha: v128, acc: bool): void {
  v128.store(c, acc ? madd(v, alpha, v128.load(c)) : f32x4.mul(v, alpha));
}

/**
 * C[r, 0..8] (=|+=) alpha · Σ_{p<kc} A(r, p) · B(p, 0..8) for r < rows ≤ 4, where A(r, p) is
 * the float at a + r·rsA + p·csA and row p of B is 8 floats at b + p·ldb (all strides in bytes;
 * rsA = 4 or csA = 4). C rows are ldc bytes apart; rows past `rows` are neither read nor written.
 */
function mk(kc: i32, a: usize, rsA: usize, csA: usize, rows: i32, b: usize, ldb: usize, c: usize, ldc: usize, alpha: f32, acc: bool): void {
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

/**
 * C (=|+=) alpha · A·B for an m×k A read in place (A(i, p) at a + i·rsA + p·csA bytes) and a
 * k×n8 B (n8 a multiple of 8) whose columns 8j'..8j'+8 are rows of 8 floats ldb bytes apart
 * from b + j'·bstep: row-major B has bstep 32, 8-column panels have ldb 32. C rows ldc bytes apart.
 */
function gemm8(m: i32, n8: i32, k: i32, a: usize, rsA: usize, csA: usize, b: usize, ldb: usize, bstep: usize, c: usize, ldc: usize, alpha: f32, acc: bool): void {
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
function packA4(a: usize, rs: usize, m: i32, k: i32, dst: usize): void {
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

/** gemm8 with A packed by packA4. */
function gemm8p(m: i32, n8: i32, k: i32, pa: usize, b: usize, ldb: usize, bstep: usize, c: usize, ldc: usize, alpha: f32, acc: bool, panelBytes: usize = 0): void {
  const ps = panelBytes != 0 ? panelBytes : <usize>k << 4;
  for (let i = 0; i < m; i += 4) {
    const rows = min(4, m - i);
    const ai = pa + <usize>(i >> 2) * ps;
    const ci = c + <usize>i * ldc;
    for (let j = 0; j < n8; j += 8) mk(k, ai, 4, 16, rows, b + <usize>(j >> 3) * bstep, ldb, ci + (<usize>j << 2), ldc, alpha, acc);
  }
}

/**
 * alpha · A·B for a packed 4-row A panel (packA4) and an 8-column B panel (ldb 32 bytes),
 * stored transposed: column c of the 4×8 result as one vector of its 4 rows at t + c·16.
 */
function mkT(kc: i32, a: usize, b: usize, t: usize, alpha: f32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
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
    a += 16;
    b += 32;
  }
  const al = f32x4.splat(alpha);
  transposeStore(c00, c10, c20, c30, t, al);
  transposeStore(c01, c11, c21, c31, t + 64, al);
}

/** Store the 4×4 block with rows r0..r3 as its 4 columns (alpha times) at t, t + 16, t + 32, t + 48. */
// @ts-ignore: decorator
@inline function transposeStore(r0: v128, r1: v128, r2: v128, r3: v128, t: usize, al: v128): void {
  const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
  const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5), t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  v128.store(t, f32x4.mul(v128.shuffle<f32>(t0, t2, 0, 1, 4, 5), al));
  v128.store(t, f32x4.mul(v128.shuffle<f32>(t0, t2, 2, 3, 6, 7), al), 16);
  v128.store(t, f32x4.mul(v128.shuffle<f32>(t1, t3, 0, 1, 4, 5), al), 32);
  v128.store(t, f32x4.mul(v128.shuffle<f32>(t1, t3, 2, 3, 6, 7), al), 48);
}

/** Rows 0..n of x (width floats each, rows ld floats apart) into panels of 8 rows: dst[(j/8)·width·8 + e·8 + j%8]. */
function packPanels(x: usize, n: i32, width: i32, ldx: i32, dst: usize): void {
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
function padRows(x: usize, n: i32, width: i32, ldx: i32, width8: i32, dst: usize): void {
  for (let j = 0; j < n; j++) {
    const d = dst + (<usize>(j * width8) << 2);
    memory.copy(d, x + (<usize>(j * ldx) << 2), <usize>width << 2);
    memory.fill(d + (<usize>width << 2), 0, <usize>(width8 - width) << 2);
  }
}

/** acc[j·ldAcc + e] += x[j·width8 + e] for j < n, e < width. */
function addRows(acc: usize, ldAcc: i32, x: usize, n: i32, width: i32, width8: i32): void {
  const w4 = width & ~3;
  for (let j = 0; j < n; j++) {
    const d = acc + (<usize>(j * ldAcc) << 2);
    const s = x + (<usize>(j * width8) << 2);
    for (let e = 0; e < w4; e += 4) v128.store(d + (<usize>e << 2), f32x4.add(v128.load(d + (<usize>e << 2)), v128.load(s + (<usize>e << 2))));
    for (let e = w4; e < width; e++) store<f32>(d + (<usize>e << 2), load<f32>(d + (<usize>e << 2)) + load<f32>(s + (<usize>e << 2)));
  }
}

/** This thread's scratch area: the descriptor holds its base and size, and where work areas start. */
function scratchOf(d: usize, work: usize): usize {
  const t = (<i32>work - w(d, WORK0)) / w(d, WORK_BYTES);
  return <usize>w(d, SCR) + <usize>t * <usize>w(d, SCR_BYTES);
}

/**
 * Query rows per block, a multiple of 4: the tiles hold rows × r8(S) floats, or a block of Q or
 * dO packed (rows × E, rows × Ev). The caller keeps r8 of S, E and Ev ≤ TILE_FLOATS / 4.
 */
export function attentionRows(S: i32, E: i32, Ev: i32): i32 {
  return min(ATT_ROWS, (TILE_FLOATS / max(r8(S), max(r8(E), r8(Ev)))) & ~3);
}

/**
 * Scores of rows i0..i0+rows, keys 0..n into `t` (row stride n8 floats) in log2 units:
 * log2 e·(scale·q·k + mask), causal −∞. kp holds Kᵀ in 8-key panels.
 */
function scores(d: usize, b: i32, i0: i32, rows: i32, n: i32, n8: i32, t: usize, kp: usize, pa: usize): void {
  const E = w(d, E_), qRow = w(d, QROW);
  const q = <usize>w(d, Q) + (<usize>(off(d, QOFF, b) + i0 * qRow) << 2);
  const ldt = <usize>n8 << 2;
  packA4(q, <usize>qRow << 2, rows, E, pa);
  gemm8p(rows, n8, E, pa, kp, 32, <usize>E << 5, t, ldt, load<f32>(d + (<usize>SCALE << 2)) * LOG2E, false);
  const kind = w(d, MKIND);
  if (kind != 0) {
    const sl = w(d, MSL), ss = w(d, MSS);
    const mo = off(d, MOFF, b);
    const m = <usize>w(d, MASK);
    const n4 = n & ~3;
    const ninf = f32x4.splat(-Infinity);
    for (let r = 0; r < rows; r++) {
      const row = t + <usize>r * ldt;
      const base = mo + (i0 + r) * sl;
      if (kind == 1) {
        if (ss == 0) {
          if (load<u8>(m + <usize>base) == 0) for (let j = 0; j < n; j++) store<f32>(row + (<usize>j << 2), -Infinity);
        } else if (ss == 1) {
          const mb = m + <usize>base;
          for (let j = 0; j < n4; j += 4) {
            const keep = i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(v128.load32_zero(mb + <usize>j)));
            const p = row + (<usize>j << 2);
            v128.store(p, v128.bitselect(ninf, v128.load(p), i32x4.eq(keep, i32x4.splat(0))));
          }
          for (let j = n4; j < n; j++) if (load<u8>(mb + <usize>j) == 0) store<f32>(row + (<usize>j << 2), -Infinity);
        } else {
          for (let j = 0; j < n; j++) if (load<u8>(m + <usize>(base + j * ss)) == 0) store<f32>(row + (<usize>j << 2), -Infinity);
        }
      } else {
        if (ss == 1) {
          const mb = m + (<usize>base << 2);
          for (let j = 0; j < n4; j += 4) {
            const p = row + (<usize>j << 2);
            v128.store(p, madd(v128.load(mb + (<usize>j << 2)), f32x4.splat(LOG2E), v128.load(p)));
          }
          for (let j = n4; j < n; j++) store<f32>(row + (<usize>j << 2), load<f32>(row + (<usize>j << 2)) + load<f32>(mb + (<usize>j << 2)) * LOG2E);
        } else {
          for (let j = 0; j < n; j++) {
            const p = row + (<usize>j << 2);
            store<f32>(p, load<f32>(p) + load<f32>(m + (<usize>(base + j * ss) << 2)) * LOG2E);
          }
        }
      }
    }
  }
  if (w(d, CAUSAL) != 0) {
    for (let r = 0; r < rows; r++) {
      const row = t + <usize>r * ldt;
      for (let j = i0 + r + 1; j < n; j++) store<f32>(row + (<usize>j << 2), -Infinity);
    }
  }
}

/** Lanes j < rest of a vector (rest ≥ 1). */
// @ts-ignore: decorator
@inline function lanesBelow(rest: i32): v128 {
  return i32x4.lt_s(i32x4(0, 1, 2, 3), i32x4.splat(rest));
}

/** p[j] = 2^(p[j] − m) over a tile row (padding lanes up to the next multiple of 4 become 0); returns Σ_j. */
function expShift(p: usize, n: i32, m: f32): f32 {
  const mv = f32x4.splat(m);
  let sv = f32x4.splat(0);
  const n4 = n & ~3;
  for (let j = 0; j < n4; j += 4) {
    const e = exp2x4(f32x4.sub(v128.load(p + (<usize>j << 2)), mv));
    v128.store(p + (<usize>j << 2), e);
    sv = f32x4.add(sv, e);
  }
  if (n4 < n) {
    const e = v128.and(exp2x4(f32x4.sub(v128.load(p + (<usize>n4 << 2)), mv)), lanesBelow(n - n4));
    v128.store(p + (<usize>n4 << 2), e);
    sv = f32x4.add(sv, e);
  }
  return (f32x4.extract_lane(sv, 0) + f32x4.extract_lane(sv, 1)) + (f32x4.extract_lane(sv, 2) + f32x4.extract_lane(sv, 3));
}

/**
 * Forward for problem b, query rows i0..i0+rows (in blocks of attentionRows(S, E, Ev)): Kᵀ is
 * packed (and V padded when Ev is not a multiple of 8) once for all blocks.
 */
export function attentionForward(d: usize, b: i32, i0: i32, rows: i32, work: usize): void {
  const L = w(d, L_), S = w(d, S_), E = w(d, E_), Ev = w(d, EV);
  const E8 = r8(E), Ev8 = r8(Ev), S8 = r8(S);
  const nAll = w(d, CAUSAL) != 0 ? min(S, i0 + rows) : S;
  const scr = scratchOf(d, work);
  const kp = scr;
  const v8 = scr + (<usize>(S8 * (2 * E8 + Ev8)) << 2);
  const tmp = scr + (<usize>((E8 + Ev8) * (3 * S8 + L)) << 2);
  packPanels(<usize>w(d, K) + (<usize>off(d, KOFF, b) << 2), nAll, E, w(d, KROW), kp);
  let v = <usize>w(d, V) + (<usize>off(d, VOFF, b) << 2);
  let ldv = w(d, VROW);
  if (Ev != Ev8) {
    padRows(v, nAll, Ev, ldv, Ev8, v8);
    v = v8;
    ldv = Ev8;
  }
  const rowsMax = attentionRows(S, E, Ev);
  for (let r0 = 0; r0 < rows; r0 += rowsMax) forwardBlock(d, b, i0 + r0, min(rowsMax, rows - r0), work, kp, v, ldv, tmp);
}

/**
 * Forward for rows i0..i0+rows (≤ attentionRows(S, E, Ev)) of problem b; v has rows of r8(Ev) floats, ldv floats apart.
 * The scores are kept as 4-row groups (column j of group g: one vector of its 4 rows at
 * t + (g·n8 + j)·16), so the softmax works on 4 rows per vector without horizontal sums and P
 * feeds the P·V micro-kernel without repacking. Rows past `rows` in the last group repeat the
 * last row (computed, never stored).
 */
function forwardBlock(d: usize, b: i32, i0: i32, rows: i32, work: usize, kp: usize, v: usize, ldv: i32, tmp: usize): void {
  const L = w(d, L_), S = w(d, S_), E = w(d, E_), Ev = w(d, EV);
  const Ev8 = r8(Ev);
  const causal = w(d, CAUSAL) != 0;
  const n = causal ? min(S, i0 + rows) : S;
  const n8 = r8(n);
  const t = work + <usize>gemmWorkBytes();
  const pa = t + (<usize>TILE_FLOATS << 2);
  const inv = t + (<usize>(2 * TILE_FLOATS) << 2); // 1/Σ per row
  const lse = <usize>w(d, LSE) + (<usize>(b * L + i0) << 2);
  const dp = load<f64>(d + (<usize>DROP_P_F64 << 2));
  const thr = dropThr(dp), fac = dropFac(dp);
  const seed = <u32>w(d, SEED);
  const kind = w(d, MKIND);
  const sl = w(d, MSL), ss = w(d, MSS);
  const mo = kind != 0 ? off(d, MOFF, b) : 0;
  const mask = <usize>w(d, MASK);
  const qRow = w(d, QROW);
  const q = <usize>w(d, Q) + (<usize>(off(d, QOFF, b) + i0 * qRow) << 2);
  packA4(q, <usize>qRow << 2, rows, E, pa);
  const alpha = load<f32>(d + (<usize>SCALE << 2)) * LOG2E;
  const gBytes = <usize>n8 << 4;
  const ninf = f32x4.splat(-Infinity);
  for (let r0 = 0; r0 < rows; r0 += 4) {
    const g = t + <usize>(r0 >> 2) * gBytes;
    const ag = pa + <usize>(r0 * E) * 4;
    for (let j = 0; j < n8; j += 8) mkT(E, ag, kp + <usize>(j * E) * 4, g + (<usize>j << 4), alpha);
    // the group's rows (clamped to the block) and their bias
    const last = rows - 1;
    const ia = i0 + min(r0, last), ib = i0 + min(r0 + 1, last), ic = i0 + min(r0 + 2, last), id = i0 + min(r0 + 3, last);
    const iv = i32x4(ia, ib, ic, id);
    if (kind != 0) {
      const ma = mo + ia * sl, mb = mo + ib * sl, mc = mo + ic * sl, md = mo + id * sl;
      for (let j = 0; j < n; j++) {
        const x = g + (<usize>j << 4);
        const o = j * ss;
        if (kind == 1) {
          if (sl == 0) {
            if (load<u8>(mask + <usize>(ma + o)) == 0) v128.store(x, ninf);
          } else {
            const keep = i32x4(load<u8>(mask + <usize>(ma + o)), load<u8>(mask + <usize>(mb + o)), load<u8>(mask + <usize>(mc + o)), load<u8>(mask + <usize>(md + o)));
            v128.store(x, v128.bitselect(ninf, v128.load(x), i32x4.eq(keep, i32x4.splat(0))));
          }
        } else {
          const bias = sl == 0
            ? f32x4.splat(load<f32>(mask + (<usize>(ma + o) << 2)))
            : f32x4(load<f32>(mask + (<usize>(ma + o) << 2)), load<f32>(mask + (<usize>(mb + o) << 2)), load<f32>(mask + (<usize>(mc + o) << 2)), load<f32>(mask + (<usize>(md + o) << 2)));
          v128.store(x, madd(bias, f32x4.splat(LOG2E), v128.load(x)));
        }
      }
    }
    if (causal) {
      for (let j = i0 + r0 + 1; j < n; j++) {
        const x = g + (<usize>j << 4);
        v128.store(x, v128.bitselect(ninf, v128.load(x), i32x4.gt_s(i32x4.splat(j), iv)));
      }
    }
    // row maxima (NaN if any score is NaN; a fully masked row exponentiates against 0 and sums to 0)
    // (two chains: pmax latency, not throughput, would bound one)
    let mv = ninf, mw = ninf;
    let nan = v128.splat<i32>(0);
    const n2 = n & ~1;
    for (let j = 0; j < n2; j += 2) {
      const x = v128.load(g + (<usize>j << 4));
      const y = v128.load(g + (<usize>j << 4), 16);
      mv = f32x4.pmax(mv, x);
      mw = f32x4.pmax(mw, y);
      nan = v128.or(nan, v128.or(f32x4.ne(x, x), f32x4.ne(y, y)));
    }
    if (n2 < n) {
      const x = v128.load(g + (<usize>n2 << 4));
      mv = f32x4.pmax(mv, x);
      nan = v128.or(nan, f32x4.ne(x, x));
    }
    mv = v128.bitselect(f32x4.splat(NaN), f32x4.pmax(mv, mw), nan);
    const empty = f32x4.eq(mv, ninf);
    const ms = v128.andnot(mv, empty);
    let sv = f32x4.splat(0);
    if (dp > 0) {
      const rh = i32x4(rowHash(seed, b * L + ia), rowHash(seed, b * L + ib), rowHash(seed, b * L + ic), rowHash(seed, b * L + id));
      for (let j = 0; j < n; j++) {
        const x = g + (<usize>j << 4);
        const e = exp2x4(f32x4.sub(v128.load(x), ms));
        sv = f32x4.add(sv, e);
        const h = fmix4(i32x4.add(rh, i32x4.splat(j * 0x27d4eb2f)));
        v128.store(x, f32x4.mul(e, v128.and(i32x4.ge_u(h, thr), fac)));
      }
    } else {
      for (let j = 0; j < n; j++) {
        const x = g + (<usize>j << 4);
        const e = exp2x4(f32x4.sub(v128.load(x), ms));
        sv = f32x4.add(sv, e);
        v128.store(x, e);
      }
    }
    // logsumexp = ln 2·(max + log2 Σ) (−∞ when fully masked); the output rows are scaled by 1/Σ
    const l = v128.bitselect(ninf, f32x4.mul(f32x4.add(mv, log2x4(sv)), f32x4.splat(LN2)), empty);
    v128.store(inv + (<usize>r0 << 2), v128.andnot(f32x4.div(f32x4.splat(1), sv), empty));
    if (r0 + 4 <= rows) {
      v128.store(lse + (<usize>r0 << 2), l);
    } else {
      store<f32>(lse + (<usize>r0 << 2), f32x4.extract_lane(l, 0));
      if (r0 + 1 < rows) store<f32>(lse + (<usize>(r0 + 1) << 2), f32x4.extract_lane(l, 1));
      if (r0 + 2 < rows) store<f32>(lse + (<usize>(r0 + 2) << 2), f32x4.extract_lane(l, 2));
    }
  }
  const oRow = w(d, OROW);
  const out = <usize>w(d, OUT) + (<usize>(off(d, OOFF, b) + i0 * oRow) << 2);
  const direct = Ev == Ev8;
  const c = direct ? out : tmp;
  const ldc = direct ? oRow : Ev8;
  gemm8p(rows, Ev8, n, t, v, <usize>ldv << 2, 32, c, <usize>ldc << 2, 1, false, gBytes);
  for (let r = 0; r < rows; r++) {
    const g = load<f32>(inv + (<usize>r << 2));
    const src = c + (<usize>(r * ldc) << 2);
    const dst = out + (<usize>(r * oRow) << 2);
    const gv = f32x4.splat(g);
    const e4 = direct ? Ev : Ev & ~3;
    for (let e = 0; e < e4; e += 4) v128.store(dst + (<usize>e << 2), f32x4.mul(v128.load(src + (<usize>e << 2)), gv));
    for (let e = e4; e < Ev; e++) store<f32>(dst + (<usize>e << 2), load<f32>(src + (<usize>e << 2)) * g);
  }
}

/** Σ_e x[e]·y[e]. */
function dot(x: usize, y: usize, n: i32): f32 {
  let sv = f32x4.splat(0);
  const n4 = n & ~3;
  for (let e = 0; e < n4; e += 4) sv = madd(v128.load(x + (<usize>e << 2)), v128.load(y + (<usize>e << 2)), sv);
  let s = (f32x4.extract_lane(sv, 0) + f32x4.extract_lane(sv, 1)) + (f32x4.extract_lane(sv, 2) + f32x4.extract_lane(sv, 3));
  for (let e = n4; e < n; e++) s += load<f32>(x + (<usize>e << 2)) * load<f32>(y + (<usize>e << 2));
  return s;
}

/**
 * Backward task `task`: problem `task`, all query rows (dK, dV and dMask accumulate across
 * rows), or, when the descriptor has a part table, part `task` of a problem split by rows.
 */
export function attentionBackward(d: usize, task: i32, work: usize): void {
  const parts = <usize>w(d, PARTS);
  if (parts == 0) {
    backwardRows(d, task, 0, w(d, L_), 0, 0, work);
  } else {
    // a part of a problem: [b, first row, end row, dK and dV destinations (0: the outputs)]
    const p = parts + (<usize>task * 20);
    backwardRows(d, load<i32>(p), load<i32>(p, 4), load<i32>(p, 8), <usize>load<i32>(p, 12), <usize>load<i32>(p, 16), work);
  }
}

/**
 * Backward for rows iStart..iEnd of problem b: dQ rows are written in place, dK and dV
 * accumulate into dkTo / dvTo (blocks laid out as k and v) or, when 0, into the outputs.
 */
function backwardRows(d: usize, b: i32, iStart: i32, iEnd: i32, dkTo: usize, dvTo: usize, work: usize): void {
  const L = w(d, L_), S = w(d, S_), E = w(d, E_), Ev = w(d, EV);
  const E8 = r8(E), Ev8 = r8(Ev), S8 = r8(S);
  const qRow = w(d, QROW), kRow = w(d, KROW), vRow = w(d, VROW), oRow = w(d, OROW);
  const rowsMax = attentionRows(S, E, Ev);
  const t1 = work + <usize>gemmWorkBytes();
  const t2 = t1 + (<usize>TILE_FLOATS << 2);
  const delta = t2 + (<usize>TILE_FLOATS << 2);
  const scale = load<f32>(d + (<usize>SCALE << 2));
  const dp = load<f64>(d + (<usize>DROP_P_F64 << 2));
  const thr = dropThr(dp), fac = dropFac(dp);
  const seed = <u32>w(d, SEED);
  const causal = w(d, CAUSAL) != 0;
  const qo = off(d, QOFF, b), ko = off(d, KOFF, b), vo = off(d, VOFF, b);
  const dmask = <usize>w(d, DMASK);
  // scratch (floats): Kᵀ, Vᵀ panels | K, V padded | dK, dV padded | Q, dO padded
  const scr = scratchOf(d, work);
  const kp = scr;
  const vp = kp + (<usize>(S8 * E8) << 2);
  const k8 = vp + (<usize>(S8 * Ev8) << 2);
  const dk8 = k8 + (<usize>(S8 * (E8 + Ev8)) << 2);
  const dv8 = dk8 + (<usize>(S8 * E8) << 2);
  const q8 = dv8 + (<usize>(S8 * Ev8) << 2);
  const do8 = q8 + (<usize>(L * E8) << 2);
  const tmp = do8 + (<usize>(L * Ev8) << 2);
  const q = <usize>w(d, Q) + (<usize>qo << 2);
  const k = <usize>w(d, K) + (<usize>ko << 2);
  const v = <usize>w(d, V) + (<usize>vo << 2);
  const gob = <usize>w(d, GO) + (<usize>off(d, OOFF, b) << 2);
  const dq = <usize>w(d, DQ) + (<usize>qo << 2);
  // a part's own dK, dV blocks are row-major [S, E], [S, Ev]; the outputs are laid out as k, v
  const dk = dkTo != 0 ? dkTo : <usize>w(d, DK) + (<usize>ko << 2);
  const dv = dvTo != 0 ? dvTo : <usize>w(d, DV) + (<usize>vo << 2);
  const dkRow = dkTo != 0 ? E : kRow, dvRow = dvTo != 0 ? Ev : vRow;
  const nAll = causal ? min(S, iEnd) : S;
  packPanels(k, nAll, E, kRow, kp);
  packPanels(v, nAll, Ev, vRow, vp);
  // B operands (rows of 8 floats): in place when the width allows, else padded copies
  const eDirect = E == E8, vDirect = Ev == Ev8;
  const kB = eDirect ? k : k8, qB = eDirect ? q : q8, goB = vDirect ? gob : do8;
  const kBRow = eDirect ? kRow : E8, qBRow = eDirect ? qRow : E8, goBRow = vDirect ? oRow : Ev8;
  const dkC = eDirect ? dk : dk8, dvC = vDirect ? dv : dv8;
  const dkCRow = eDirect ? dkRow : E8, dvCRow = vDirect ? dvRow : Ev8;
  if (!eDirect) {
    padRows(k, nAll, E, kRow, E8, k8);
    padRows(q + (<usize>(iStart * qRow) << 2), iEnd - iStart, E, qRow, E8, q8 + (<usize>(iStart * E8) << 2));
    memory.fill(dk8, 0, <usize>(nAll * E8) << 2);
  }
  if (!vDirect) {
    padRows(gob + (<usize>(iStart * oRow) << 2), iEnd - iStart, Ev, oRow, Ev8, do8 + (<usize>(iStart * Ev8) << 2));
    memory.fill(dv8, 0, <usize>(nAll * Ev8) << 2);
  }
  for (let i0 = iStart; i0 < iEnd; i0 += rowsMax) {
    const rows = min(rowsMax, iEnd - i0);
    const n = causal ? min(S, i0 + rows) : S;
    const n8 = r8(n);
    const ldt = <usize>n8 << 2;
    const go = gob + (<usize>(i0 * oRow) << 2);
    const o = <usize>w(d, OUT) + (<usize>(off(d, OOFF, b) + i0 * oRow) << 2);
    for (let r = 0; r < rows; r++) store<f32>(delta + (<usize>r << 2), dot(go + (<usize>(r * oRow) << 2), o + (<usize>(r * oRow) << 2), Ev));
    // dP = dO·Vᵀ into t2 (dO packed into t1 first), then the scores into t1 (Q packed into tmp)
    packA4(go, <usize>oRow << 2, rows, Ev, t1);
    gemm8p(rows, n8, Ev, t1, vp, 32, <usize>Ev << 5, t2, ldt, 1, false);
    scores(d, b, i0, rows, n, n8, t1, kp, tmp);
    for (let r = 0; r < rows; r++) {
      const i = i0 + r;
      const p1 = t1 + <usize>r * ldt;
      const p2 = t2 + <usize>r * ldt;
      const l = load<f32>(<usize>w(d, LSE) + (<usize>(b * L + i) << 2));
      if (l == -Infinity) {
        memory.fill(p1, 0, <usize>n << 2);
        memory.fill(p2, 0, <usize>n << 2);
        continue;
      }
      expShift(p1, n, l * LOG2E); // P
      const dl = load<f32>(delta + (<usize>r << 2));
      const dlv = f32x4.splat(dl);
      const sv = f32x4.splat(scale);
      const n4 = n & ~3;
      if (dmask == 0 && dp <= 0) {
        // G = scale·P∘(dP − δ); P̃ = P stays in t1
        for (let j = 0; j < n4; j += 4) {
          const x = <usize>j << 2;
          v128.store(p2 + x, f32x4.mul(sv, f32x4.mul(v128.load(p1 + x), f32x4.sub(v128.load(p2 + x), dlv))));
        }
        for (let j = n4; j < n; j++) {
          const x = <usize>j << 2;
          store<f32>(p2 + x, scale * (load<f32>(p1 + x) * (load<f32>(p2 + x) - dl)));
        }
        continue;
      }
      const rh = rowHash(seed, b * L + i);
      if (dmask == 0) {
        // dropout: P̃ = P∘f, G = scale·P∘(f·dP − δ)
        const rv = i32x4.splat(rh);
        for (let j = 0; j < n4; j += 4) {
          const x = <usize>j << 2;
          const f = dropFactor4(rv, j, thr, fac);
          const P = v128.load(p1 + x);
          v128.store(p2 + x, f32x4.mul(sv, f32x4.mul(P, f32x4.sub(f32x4.mul(f, v128.load(p2 + x)), dlv))));
          v128.store(p1 + x, f32x4.mul(P, f));
        }
        for (let j = n4; j < n; j++) {
          const x = <usize>j << 2;
          const P = load<f32>(p1 + x);
          const f = dropFactor(rh, j, dp);
          store<f32>(p2 + x, scale * (P * (f * load<f32>(p2 + x) - dl)));
          store<f32>(p1 + x, P * f);
        }
        continue;
      }
      const mo = off(d, MOFF, b) + i * w(d, MSL);
      const ss = w(d, MSS);
      for (let j = 0; j < n; j++) {
        const x = <usize>j << 2;
        const P = load<f32>(p1 + x);
        const f: f32 = dp > 0 ? dropFactor(rh, j, dp) : 1;
        const dS = P * (f * load<f32>(p2 + x) - dl);
        store<f32>(p1 + x, P * f);
        store<f32>(p2 + x, scale * dS);
        const at = dmask + (<usize>(mo + j * ss) << 2);
        store<f32>(at, load<f32>(at) + dS);
      }
    }
    // dV += P̃ᵀ·dO, dK += Gᵀ·Q (keys in 4-row micro tiles), dQ += G·K
    gemm8(n, Ev8, rows, t1, 4, ldt, goB + (<usize>(i0 * goBRow) << 2), <usize>goBRow << 2, 32, dvC, <usize>dvCRow << 2, 1, true);
    gemm8(n, E8, rows, t2, 4, ldt, qB + (<usize>(i0 * qBRow) << 2), <usize>qBRow << 2, 32, dkC, <usize>dkCRow << 2, 1, true);
    packA4(t2, ldt, rows, n, t1); // P̃ is no longer needed
    if (eDirect) {
      gemm8p(rows, E8, n, t1, kB, <usize>kBRow << 2, 32, dq + (<usize>(i0 * qRow) << 2), <usize>qRow << 2, 1, true);
    } else {
      gemm8p(rows, E8, n, t1, kB, <usize>kBRow << 2, 32, tmp, <usize>E8 << 2, 1, false);
      addRows(dq + (<usize>(i0 * qRow) << 2), qRow, tmp, rows, E, E8);
    }
  }
  if (!eDirect) addRows(dk, dkRow, dk8, nAll, E, E8);
  if (!vDirect) addRows(dv, dvRow, dv8, nAll, Ev, Ev8);
}
