// Backward of the fused attention kernels (see the header of assembly/attention.ts).
import { gemmWorkBytes } from "./matmul";
import { madd } from "./expf";
import { gemm8, packA4, gemm8p, packPanels, packT4, padRows, addRows } from "./attention-tiles";
import { CAUSAL, DK, DMASK, DQ, DROP_P_F64, DV, EV, E_, GO, K, KOFF, KROW, LOG2E, LSE, L_, MOFF, MSL, MSS, OOFF, OROW, OUT, PARTS, Q, QOFF, QROW, SCALE, SEED, S_, TILE_FLOATS, V, VOFF, VROW, attentionRows, dropFac, dropFactor, dropFactor4, dropThr, expShift, off, r8, rowHash, scores, scratchOf, w } from "./attention-common";

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
    // From 512 keys the tiles are transposed into 4-key panels first: read in place, a 4-key micro
    // tile's rows are ldt bytes apart (4 KB at S = 1024) and fell into a few L1 sets (1.75× slower; at S = 256 packing did not pay).
    if (n8 >= 512) {
      const pt = work; // sgemm's packing area, unused by attention tasks
      packT4(t1, ldt, rows, n, pt);
      gemm8p(n, Ev8, rows, pt, goB + (<usize>(i0 * goBRow) << 2), <usize>goBRow << 2, 32, dvC, <usize>dvCRow << 2, 1, true);
      packT4(t2, ldt, rows, n, pt);
      gemm8p(n, E8, rows, pt, qB + (<usize>(i0 * qBRow) << 2), <usize>qBRow << 2, 32, dkC, <usize>dkCRow << 2, 1, true);
    } else {
      gemm8(n, Ev8, rows, t1, 4, ldt, goB + (<usize>(i0 * goBRow) << 2), <usize>goBRow << 2, 32, dvC, <usize>dvCRow << 2, 1, true);
      gemm8(n, E8, rows, t2, 4, ldt, qB + (<usize>(i0 * qBRow) << 2), <usize>qBRow << 2, 32, dkC, <usize>dkCRow << 2, 1, true);
    }
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
