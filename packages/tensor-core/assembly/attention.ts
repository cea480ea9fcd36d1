// Fused exact attention on top of the SIMD GEMM, for one problem b and a block of query rows
// at a time (extra memory: two [rows, S] tiles per thread, never L·S):
//   forward:  T = scale·Q_blk·Kᵀ + mask (causal: −∞ above the diagonal), P = softmax rows,
//             out_blk = (P ∘ dropout)·V, logsumexp saved per row;
//   backward: P = exp(T − logsumexp), dP = dO_blk·Vᵀ, dS = P ∘ (dropout·dP − δ), δ_i = dO_i·O_i,
//             dV += (P ∘ dropout)ᵀ·dO_blk, dQ_blk += scale·dS·K, dK += scale·dSᵀ·Q_blk, dMask += dS.
// A row whose scores are all −∞ gives output 0, logsumexp −∞ and zero gradients.
// Problem parameters live in a descriptor of i32 words (pointers are byte addresses).
import { gemmWorkBytes, sgemm } from "./gemm";
import { exp4 } from "./expf";
import { rowMax } from "./softmax";

export const ATT_ROWS: i32 = 64;
export const TILE_FLOATS: i32 = 64 * 2048;

const Q = 0, K = 1, V = 2, OUT = 3, LSE = 4, L_ = 5, S_ = 6, E_ = 7, EV = 8, SCALE = 9, MASK = 10, MKIND = 11;
const MSL = 12, MSS = 13, CAUSAL = 14, SEED = 16, QOFF = 17, KOFF = 18, VOFF = 19, MOFF = 20;
const GO = 21, DQ = 22, DK = 23, DV = 24, DMASK = 25, DROP_P_F64 = 30;

// @ts-ignore: decorator
@inline function w(d: usize, i: i32): i32 { return load<i32>(d + (<usize>i << 2)); }
// @ts-ignore: decorator
@inline function off(d: usize, arr: i32, b: i32): i32 { return load<i32>(<usize>w(d, arr) + (<usize>b << 2)); }

function fmix32(x: u32): u32 {
  let h = x;
  h ^= h >>> 16;
  h *= 0x85ebca6b;
  h ^= h >>> 13;
  h *= 0xc2b2ae35;
  h ^= h >>> 16;
  return h;
}

/** Dropout factor of weight (row, col): 0 if dropped, 1/(1 − p) if kept (as fused/dropout-hash.ts). */
function dropFactor(seed: u32, row: i32, col: i32, p: f64): f32 {
  const h = fmix32((fmix32(fmix32(seed ^ 0x9e3779b9) ^ <u32>row)) + <u32>col * 0x27d4eb2f);
  return <f64>h / 4294967296.0 < p ? 0 : <f32>(1.0 / (1.0 - p));
}

/** Tile bytes needed after gemmWorkBytes() in a thread's work area. */
export function attentionWorkBytes(): i32 {
  return (2 * TILE_FLOATS + ATT_ROWS) * 4;
}

function scaleTile(d: usize, t: usize, total: i32): void {
  const sv = f32x4.splat(load<f32>(d + (<usize>SCALE << 2)));
  const t4 = total & ~3;
  for (let x = 0; x < t4; x += 4) v128.store(t + (<usize>x << 2), f32x4.mul(v128.load(t + (<usize>x << 2)), sv));
  const sc = f32x4.extract_lane(sv, 0);
  for (let x = t4; x < total; x++) store<f32>(t + (<usize>x << 2), load<f32>(t + (<usize>x << 2)) * sc);
}

/**
 * Scores of rows i0..i0+rows, keys 0..n into `t` (row stride n): scale·q·k + mask, causal −∞.
 * Without `scaled` the scale is left to the caller (only valid without a mask).
 */
function scores(d: usize, b: i32, i0: i32, rows: i32, n: i32, t: usize, work: usize, scaled: bool = true): void {
  const E = w(d, E_);
  const q = <usize>w(d, Q) + (<usize>(off(d, QOFF, b) + i0 * E) << 2);
  const k = <usize>w(d, K) + (<usize>off(d, KOFF, b) << 2);
  sgemm(rows, n, E, q, E, 1, k, 1, E, t, n, work, false);
  if (scaled) scaleTile(d, t, rows * n);
  const kind = w(d, MKIND);
  if (kind != 0) {
    const sl = w(d, MSL), ss = w(d, MSS);
    const mo = off(d, MOFF, b);
    const m = <usize>w(d, MASK);
    for (let r = 0; r < rows; r++) {
      const row = t + (<usize>(r * n) << 2);
      const base = mo + (i0 + r) * sl;
      for (let j = 0; j < n; j++) {
        const at = base + j * ss;
        const p = row + (<usize>j << 2);
        if (kind == 1) {
          if (load<u8>(m + <usize>at) == 0) store<f32>(p, -Infinity);
        } else {
          store<f32>(p, load<f32>(p) + load<f32>(m + (<usize>at << 2)));
        }
      }
    }
  }
  if (w(d, CAUSAL) != 0) {
    for (let r = 0; r < rows; r++) {
      const row = t + (<usize>(r * n) << 2);
      for (let j = i0 + r + 1; j < n; j++) store<f32>(row + (<usize>j << 2), -Infinity);
    }
  }
}

/** p[j] = exp(sc·(p[j] − m)) over a row; returns Σ_j. */
function expShift(p: usize, n: i32, m: f32, sc: f32 = 1): f32 {
  const mv = f32x4.splat(m);
  const scv = f32x4.splat(sc);
  let sv = f32x4.splat(0);
  const n4 = n & ~3;
  for (let j = 0; j < n4; j += 4) {
    const e = exp4(f32x4.mul(f32x4.sub(v128.load(p + (<usize>j << 2)), mv), scv));
    v128.store(p + (<usize>j << 2), e);
    sv = f32x4.add(sv, e);
  }
  let s = (f32x4.extract_lane(sv, 0) + f32x4.extract_lane(sv, 1)) + (f32x4.extract_lane(sv, 2) + f32x4.extract_lane(sv, 3));
  for (let j = n4; j < n; j++) {
    const e = f32x4.extract_lane(exp4(f32x4.splat((load<f32>(p + (<usize>j << 2)) - m) * sc)), 0);
    store<f32>(p + (<usize>j << 2), e);
    s += e;
  }
  return s;
}

/** Multiply row p (n entries, global row index `row`) by `g` and the dropout factors. */
function scaleRow(d: usize, p: usize, n: i32, g: f32, row: i32): void {
  const dp = load<f64>(d + (<usize>DROP_P_F64 << 2));
  if (dp > 0) {
    const seed = <u32>w(d, SEED);
    for (let j = 0; j < n; j++) store<f32>(p + (<usize>j << 2), load<f32>(p + (<usize>j << 2)) * g * dropFactor(seed, row, j, dp));
    return;
  }
  scaleVec(p, n, g);
}

/** p[j] *= g for j < n. */
function scaleVec(p: usize, n: i32, g: f32): void {
  const gv = f32x4.splat(g);
  const n4 = n & ~3;
  for (let j = 0; j < n4; j += 4) v128.store(p + (<usize>j << 2), f32x4.mul(v128.load(p + (<usize>j << 2)), gv));
  for (let j = n4; j < n; j++) store<f32>(p + (<usize>j << 2), load<f32>(p + (<usize>j << 2)) * g);
}

/** Forward for problem b, query rows i0..i0+rows. */
export function attentionForward(d: usize, b: i32, i0: i32, rows: i32, work: usize): void {
  const L = w(d, L_), S = w(d, S_), Ev = w(d, EV);
  const n = w(d, CAUSAL) != 0 ? min(S, i0 + rows) : S;
  const t = work + <usize>gemmWorkBytes();
  const lse = <usize>w(d, LSE) + (<usize>(b * L + i0) << 2);
  const inv = t + (<usize>(2 * TILE_FLOATS) << 2);
  const scale = load<f32>(d + (<usize>SCALE << 2));
  // Without a mask (and scale > 0) the scale folds into the exponent: exp(scale·(x − max x)).
  const sc: f32 = w(d, MKIND) == 0 && scale > 0 ? scale : 1;
  // Without dropout 1/Σ scales the output rows (rows·Ev) instead of the weights (rows·n).
  const dropout = load<f64>(d + (<usize>DROP_P_F64 << 2)) > 0;
  scores(d, b, i0, rows, n, t, work, sc == 1);
  for (let r = 0; r < rows; r++) {
    const p = t + (<usize>(r * n) << 2);
    const m = rowMax(p, n);
    if (m == -Infinity) {
      memory.fill(p, 0, <usize>n << 2);
      store<f32>(lse + (<usize>r << 2), -Infinity);
      store<f32>(inv + (<usize>r << 2), 0);
      continue;
    }
    const s = expShift(p, n, m, sc);
    store<f32>(lse + (<usize>r << 2), m * sc + <f32>Math.log(<f64>s));
    store<f32>(inv + (<usize>r << 2), <f32>1 / s);
    if (dropout) scaleRow(d, p, n, <f32>1 / s, b * L + i0 + r);
  }
  const v = <usize>w(d, V) + (<usize>off(d, VOFF, b) << 2);
  const out = <usize>w(d, OUT) + (<usize>((b * L + i0) * Ev) << 2);
  sgemm(rows, Ev, n, t, n, 1, v, Ev, 1, out, Ev, work, false);
  if (!dropout) {
    for (let r = 0; r < rows; r++) scaleVec(out + (<usize>(r * Ev) << 2), Ev, load<f32>(inv + (<usize>r << 2)));
  }
}

/** Backward for problem b, all query rows (dK, dV and dMask accumulate across rows). */
export function attentionBackward(d: usize, b: i32, work: usize): void {
  const L = w(d, L_), S = w(d, S_), E = w(d, E_), Ev = w(d, EV);
  const rowsMax = min(ATT_ROWS, TILE_FLOATS / S);
  const t1 = work + <usize>gemmWorkBytes();
  const t2 = t1 + (<usize>TILE_FLOATS << 2);
  const delta = t2 + (<usize>TILE_FLOATS << 2);
  const scale = load<f32>(d + (<usize>SCALE << 2));
  const dp = load<f64>(d + (<usize>DROP_P_F64 << 2));
  const seed = <u32>w(d, SEED);
  const qo = off(d, QOFF, b), ko = off(d, KOFF, b), vo = off(d, VOFF, b);
  const dmask = <usize>w(d, DMASK);
  for (let i0 = 0; i0 < L; i0 += rowsMax) {
    const rows = min(rowsMax, L - i0);
    const n = w(d, CAUSAL) != 0 ? min(S, i0 + rows) : S;
    const go = <usize>w(d, GO) + (<usize>((b * L + i0) * Ev) << 2);
    const o = <usize>w(d, OUT) + (<usize>((b * L + i0) * Ev) << 2);
    for (let r = 0; r < rows; r++) {
      let s: f32 = 0;
      for (let e = 0; e < Ev; e++) s += load<f32>(go + (<usize>(r * Ev + e) << 2)) * load<f32>(o + (<usize>(r * Ev + e) << 2));
      store<f32>(delta + (<usize>r << 2), s);
    }
    scores(d, b, i0, rows, n, t1, work);
    const v = <usize>w(d, V) + (<usize>vo << 2);
    sgemm(rows, n, Ev, go, Ev, 1, v, 1, Ev, t2, n, work, false); // dP = dO·Vᵀ
    for (let r = 0; r < rows; r++) {
      const i = i0 + r;
      const p1 = t1 + (<usize>(r * n) << 2);
      const p2 = t2 + (<usize>(r * n) << 2);
      const l = load<f32>(<usize>w(d, LSE) + (<usize>(b * L + i) << 2));
      if (l == -Infinity) {
        memory.fill(p1, 0, <usize>n << 2);
        memory.fill(p2, 0, <usize>n << 2);
        continue;
      }
      expShift(p1, n, l); // P
      const dl = load<f32>(delta + (<usize>r << 2));
      if (dp <= 0 && dmask == 0) {
        // no dropout, no mask gradient: G = scale·P∘(dP − δ), vectorised; P̃ = P stays in t1
        const dv = f32x4.splat(dl);
        const sv = f32x4.splat(scale);
        const n4 = n & ~3;
        for (let j = 0; j < n4; j += 4) {
          const o = <usize>j << 2;
          v128.store(p2 + o, f32x4.mul(sv, f32x4.mul(v128.load(p1 + o), f32x4.sub(v128.load(p2 + o), dv))));
        }
        for (let j = n4; j < n; j++) {
          const o = <usize>j << 2;
          store<f32>(p2 + o, scale * (load<f32>(p1 + o) * (load<f32>(p2 + o) - dl)));
        }
        continue;
      }
      const mo = dmask != 0 ? off(d, MOFF, b) + i * w(d, MSL) : 0;
      for (let j = 0; j < n; j++) {
        const P = load<f32>(p1 + (<usize>j << 2));
        const f: f32 = dp > 0 ? dropFactor(seed, b * L + i, j, dp) : 1;
        const dS = P * (f * load<f32>(p2 + (<usize>j << 2)) - dl);
        store<f32>(p1 + (<usize>j << 2), P * f);
        store<f32>(p2 + (<usize>j << 2), scale * dS);
        if (dmask != 0) {
          const at = dmask + (<usize>(mo + j * w(d, MSS)) << 2);
          store<f32>(at, load<f32>(at) + dS);
        }
      }
    }
    const dv = <usize>w(d, DV) + (<usize>vo << 2);
    sgemm(n, Ev, rows, t1, 1, n, go, Ev, 1, dv, Ev, work, true); // dV += P̃ᵀ·dO
    const k = <usize>w(d, K) + (<usize>ko << 2);
    const dq = <usize>w(d, DQ) + (<usize>(qo + i0 * E) << 2);
    sgemm(rows, E, n, t2, n, 1, k, E, 1, dq, E, work, true); // dQ += G·K
    const q = <usize>w(d, Q) + (<usize>(qo + i0 * E) << 2);
    const dk = <usize>w(d, DK) + (<usize>ko << 2);
    sgemm(n, E, rows, t2, 1, n, q, E, 1, dk, E, work, true); // dK += Gᵀ·Q
  }
}
