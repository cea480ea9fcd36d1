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
// stay cheap. From S = 128 keys, with relaxed SIMD, the forward's two products are 6×8 blocks
// instead (attention-mk6.ts: K and V in 6-row / 6-column panels, no transposes; ~5 % faster). Scores are kept in log2 units (exp2 is cheaper than exp); masks, dropout (the
// counter hash of fused/dropout-hash.ts, 4 lanes at a time), δ and logsumexp are vectorised.
// Problem parameters live in a descriptor of i32 words (pointers are byte addresses); the
// descriptor also locates each thread's scratch (SCR + t·SCR_BYTES for the thread whose work
// area is WORK0 + t·WORK_BYTES). Rows are strided (the contract's optional layout): row i of
// problem b's q starts at float QOFF[b] + i·QROW of q, likewise k (KROW), v (VROW), and out,
// gradOut (OOFF[b] + i·OROW); dq, dk, dv are laid out as q, k, v.
import { gemmWorkBytes } from "./matmul";
import { exp2x4, log2x4, madd } from "./expf";
import { fmix4 } from "./hash";
import { packA4, gemm8p, mk, packPanels, padRows } from "./attention-tiles";
import { pack6Cols, pack6Rows, pv6, r6, scores6 } from "./attention-mk6";
import { ATT_ROWS, CAUSAL, DROP_P_F64, EV, E_, K, KOFF, KROW, LN2, LOG2E, LSE, L_, MASK, MKIND, MOFF, MSL, MSS, OOFF, OROW, OUT, Q, QOFF, QROW, SCALE, SEED, S_, TILE_FLOATS, V, VOFF, VROW, attentionRows, dropFac, dropThr, off, r8, rowHash, scratchOf, w } from "./attention-common";
export { attentionBackward } from "./attention-backward";
export { attentionWorkBytes, ATT_ROWS, TILE_FLOATS } from "./attention-common";

/**
 * Keys from which the forward uses the 6×8 products (attention-mk6.ts); below, 4×8 (less
 * padding). Relaxed SIMD only: without FMA a multiply-add needs a 16th register and 6×8 spilled
 * (6–13 % slower than 4×8 on the plain-SIMD build).
 */
const SIX_MIN_S: i32 = 128;

/**
 * Forward for problem b, query rows i0..i0+rows (in blocks of attentionRows(S, E, Ev)): K and V
 * are packed once for all blocks — from S = SIX_MIN_S K in 6-key and V in 6-column panels for
 * the 6×8 products, else Kᵀ in 8-key panels (and V padded when Ev is not a multiple of 8).
 */
export function attentionForward(d: usize, b: i32, i0: i32, rows: i32, work: usize): void {
  const L = w(d, L_), S = w(d, S_), E = w(d, E_), Ev = w(d, EV);
  const E8 = r8(E), Ev8 = r8(Ev), S8 = r8(S);
  const nAll = w(d, CAUSAL) != 0 ? min(S, i0 + rows) : S;
  const scr = scratchOf(d, work);
  const kp = scr;
  const rowsMax = attentionRows(S, E, Ev);
  if (ASC_FEATURE_RELAXED_SIMD && S >= SIX_MIN_S) {
    // scratch (floats; within the host's scratchBytes for S ≥ 128): K in 6-key panels (2·S8·E8) |
    // V in 6-column panels (2·S8·Ev8) | a Q block in 8-row panels ((R + 8)·E8) | the output tile ((R + 8)·2·Ev8), R = min(L, ATT_ROWS)
    const vp = kp + (<usize>(2 * S8 * E8) << 2);
    const qp = vp + (<usize>(2 * S8 * Ev8) << 2);
    const ot = qp + (<usize>((min(L, ATT_ROWS) + 8) * E8) << 2);
    pack6Rows(<usize>w(d, K) + (<usize>off(d, KOFF, b) << 2), nAll, E, w(d, KROW), kp);
    pack6Cols(<usize>w(d, V) + (<usize>off(d, VOFF, b) << 2), nAll, Ev, w(d, VROW), S8, vp);
    for (let r0 = 0; r0 < rows; r0 += rowsMax) forwardBlock(d, b, i0 + r0, min(rowsMax, rows - r0), work, kp, vp, S8, ot, qp);
    return;
  }
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
  for (let r0 = 0; r0 < rows; r0 += rowsMax) forwardBlock(d, b, i0 + r0, min(rowsMax, rows - r0), work, kp, v, ldv, tmp, 0);
}

/**
 * Forward for rows i0..i0+rows (≤ attentionRows(S, E, Ev)) of problem b; v has rows of r8(Ev)
 * floats, ldv floats apart — or, when qp != 0 (the 6×8 products), kp, v are 6-key and 6-column
 * panels (ldv rows each), qp the room for the packed Q block and tmp for the output tile.
 * The scores are kept as 4-row groups (column j of group g: one vector of its 4 rows at
 * t + (g·n8 + j)·16), so the softmax works on 4 rows per vector without horizontal sums and P
 * feeds the P·V micro-kernel without repacking. Rows past `rows` in the last group repeat the
 * last row (computed, never stored).
 */
function forwardBlock(d: usize, b: i32, i0: i32, rows: i32, work: usize, kp: usize, v: usize, ldv: i32, tmp: usize, qp: usize): void {
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
  const alpha = load<f32>(d + (<usize>SCALE << 2)) * LOG2E;
  const six = qp != 0;
  let gBytes = <usize>n8 << 4;
  if (six) {
    // Q block in 8-row panels, times scale·log2 e; the tile's rows hold r6(n) columns at least
    packPanels(q, rows, E, qRow, qp);
    const al = f32x4.splat(alpha);
    const qEnd = qp + (<usize>(r8(rows) * E) << 2);
    for (let x = qp; x < qEnd; x += 16) v128.store(x, f32x4.mul(v128.load(x), al));
    gBytes = <usize>max(n8, r6(n)) << 4;
    scores6(E, n, rows, kp, qp, t, gBytes);
  } else {
    packA4(q, <usize>qRow << 2, rows, E, pa);
  }
  const ninf = f32x4.splat(-Infinity);
  for (let r0 = 0; r0 < rows; r0 += 4) {
    const g = t + <usize>(r0 >> 2) * gBytes;
    const ag = pa + <usize>(r0 * E) * 4;
    if (!six) for (let j = 0; j < n8; j += 8) mk(E, ag, 4, 16, 4, kp + <usize>(j * E) * 4, 32, g + (<usize>j << 4), 0, alpha, false, true);
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
  if (six) {
    pv6(Ev, n, rows, t, gBytes, v, ldv, tmp, inv, out, oRow);
    return;
  }
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
