// Descriptor layout, dropout hash and score helpers shared by the fused attention kernels
// (assembly/attention.ts forward, assembly/attention-backward.ts backward).
import { exp2x4, madd } from "./expf";
import { fmix32, fmix4 } from "./hash";
import { packA4, gemm8p } from "./attention-tiles";

import { ATT_ROWS, TILE_FLOATS } from "../src/backend/wasm/abi";
export { ATT_ROWS, TILE_FLOATS };
// Scores are kept in log2 units (scale·log2 e folded into the product) so that the weights
// are 2^(t − max) (exp2x4, cheaper than exp); the saved logsumexp is in natural units.
export const LOG2E: f32 = 1.4426950408889634;
export const LN2: f32 = 0.6931471805599453;

// Descriptor word indices, shared with the host (L_, S_, E_: the kernels' locals are named L, S, E).
import {
  Q, K, V, OUT, LSE, L as L_, S as S_, E as E_, EV, SCALE, MASK, MKIND, MSL, MSS, CAUSAL, PARTS, SEED, DROP_P_F64,
  QOFF, KOFF, VOFF, MOFF, OOFF, GO, DQ, DK, DV, DMASK, SCR, SCR_BYTES, WORK0, WORK_BYTES, QROW, KROW, VROW, OROW,
} from "../src/backend/wasm/attention-descriptor";
export {
  Q, K, V, OUT, LSE, L_, S_, E_, EV, SCALE, MASK, MKIND, MSL, MSS, CAUSAL, PARTS, SEED, DROP_P_F64,
  QOFF, KOFF, VOFF, MOFF, OOFF, GO, DQ, DK, DV, DMASK, SCR, SCR_BYTES, WORK0, WORK_BYTES, QROW, KROW, VROW, OROW,
};

// @ts-expect-error: decorator (AssemblyScript syntax)
@inline export function w(d: usize, i: i32): i32 { return load<i32>(d + (<usize>i << 2)); }
// @ts-expect-error: decorator (AssemblyScript syntax)
@inline export function off(d: usize, arr: i32, b: i32): i32 { return load<i32>(<usize>w(d, arr) + (<usize>b << 2)); }
// @ts-expect-error: decorator (AssemblyScript syntax)
@inline export function r8(x: i32): i32 { return (x + 7) & ~7; }


/** Hash of a row: fmix32(fmix32(seed ^ 0x9e3779b9) ^ row), the column-independent half of the hash. */
export function rowHash(seed: u32, row: i32): u32 {
  return fmix32(fmix32(seed ^ 0x9e3779b9) ^ <u32>row);
}

/** Dropout factor of weight (row, col): 0 if dropped, 1/(1 − p) if kept (as fused/dropout-hash.ts). */
export function dropFactor(rh: u32, col: i32, p: f64): f32 {
  const h = fmix32(rh + <u32>col * 0x27d4eb2f);
  return <f64>h / 4294967296.0 < p ? 0 : <f32>(1.0 / (1.0 - p));
}

/**
 * Dropout factors of columns j..j+3 (rh = rowHash): h/2³² < p ⇔ h < ⌈p·2³²⌉ for integer h
 * (p·2³² is exact), so a lane is kept where h ≥ thr (unsigned); `all` drops every lane (thr = 2³²).
 */
// @ts-expect-error: decorator (AssemblyScript syntax)
@inline export function dropFactor4(rh: v128, j: i32, thr: v128, fac: v128): v128 {
  // (j + lane)·0x27d4eb2f mod 2³²
  const cols = i32x4.add(i32x4.splat(j * 0x27d4eb2f), i32x4(0, 0x27d4eb2f, 2 * 0x27d4eb2f, 3 * 0x27d4eb2f));
  const h = fmix4(i32x4.add(rh, cols));
  return v128.and(i32x4.ge_u(h, thr), fac);
}

/** ⌈p·2³²⌉ as the unsigned lane threshold of dropFactor4, or 0 with `dropFac` 0 when every weight is dropped. */
export function dropThr(p: f64): v128 {
  const t = Math.ceil(p * 4294967296.0);
  return i32x4.splat(t >= 4294967296.0 ? 0 : <i32><u32>t);
}

export function dropFac(p: f64): v128 {
  return f32x4.splat(Math.ceil(p * 4294967296.0) >= 4294967296.0 ? 0 : <f32>(1.0 / (1.0 - p)));
}

/** Tile bytes needed after gemmWorkBytes() in a thread's work area. */
export function attentionWorkBytes(): i32 {
  return (2 * TILE_FLOATS + ATT_ROWS) * 4;
}

/** This thread's scratch area: the descriptor holds its base and size, and where work areas start. */
export function scratchOf(d: usize, work: usize): usize {
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
export function scores(d: usize, b: i32, i0: i32, rows: i32, n: i32, n8: i32, t: usize, kp: usize, pa: usize): void {
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
// @ts-expect-error: decorator (AssemblyScript syntax)
@inline export function lanesBelow(rest: i32): v128 {
  return i32x4.lt_s(i32x4(0, 1, 2, 3), i32x4.splat(rest));
}

/** p[j] = 2^(p[j] − m) over a tile row (padding lanes up to the next multiple of 4 become 0); returns Σ_j. */
export function expShift(p: usize, n: i32, m: f32): f32 {
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
