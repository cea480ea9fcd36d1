// The forward attention products as 6×8 register blocks (12 f32x4 accumulators; FMA with
// relaxed SIMD), oriented so that each accumulator is one vector of 4 query rows — the score
// tile's layout (4-row groups, column j of group g: one vector at t + (g·n8 + j)·16), so
// neither product transposes anything:
//   scores: 6 keys × 8 queries, A = K in 6-key panels (splat), B = Q in 8-query panels;
//   P·V:    6 value columns × 8 queries, A = V in 6-column panels (splat), B = the score tile.
// On the 2-core AMD EPYC (Zen 4) reference machine 6×8 runs at the 128-bit FMA peak with
// data in L1 (~54 GFLOP/s, measured with a dependency-free FMA loop), 4×8 at ~46–50.
// All pointers and strides are bytes.
import { madd } from "./expf";

/** round up to a multiple of 6 */
// @ts-expect-error: decorator (AssemblyScript syntax)
@inline export function r6(x: i32): i32 { return ((x + 5) / 6) * 6; }

// Both kernels store all 12 accumulators straight after the loop, with no branch and no scale:
// with 12 accumulators, 2 B vectors and a splat TurboFan has exactly its 15 xmm registers, and
// a conditional store or a live scale factor after the loop made it spill 4 accumulators to the
// stack inside the loop (−50 %). Callers leave room for the extra keys and rows they write.

/**
 * Scores of keys 6j'..6j'+6 against 8 queries: Σ_e K(key, e)·Q(query, e) over e < E.
 * a: 6-key panel (6 floats per e), b: 8-query panel (8 floats per e). Key r goes to t + r·16
 * (queries 0–3, group g) and t + gBytes + r·16 (queries 4–7, group g + 1).
 */
export function mk6s(E: i32, a: usize, b: usize, t: usize, gBytes: usize): void {
  let c00 = f32x4.splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
  let c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
  for (let p = 0; p < E; p++) {
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
  const u = t + gBytes;
  v128.store(t, c00); v128.store(u, c01); v128.store(t, c10, 16); v128.store(u, c11, 16);
  v128.store(t, c20, 32); v128.store(u, c21, 32); v128.store(t, c30, 48); v128.store(u, c31, 48);
  v128.store(t, c40, 64); v128.store(u, c41, 64); v128.store(t, c50, 80); v128.store(u, c51, 80);
}

/**
 * Output columns 6e'..6e'+6 of 8 queries (two 4-row groups of the score tile at b and
 * b + gBytes) += Σ_{p<kc} P(query, p)·V(p, e). a: 6-column panel of V (6 floats per key), b: the
 * tile at the chunk's first key (16 bytes per key). Column r of group g (a vector of its 4 rows)
 * is at o + r·16, of group g + 1 at o + oBytes + r·16.
 */
export function mk6v(kc: i32, a: usize, b: usize, gBytes: usize, o: usize, oBytes: usize): void {
  const u = o + oBytes;
  let c00 = v128.load(o), c01 = v128.load(u), c10 = v128.load(o, 16), c11 = v128.load(u, 16);
  let c20 = v128.load(o, 32), c21 = v128.load(u, 32), c30 = v128.load(o, 48), c31 = v128.load(u, 48);
  let c40 = v128.load(o, 64), c41 = v128.load(u, 64), c50 = v128.load(o, 80), c51 = v128.load(u, 80);
  let b2 = b + gBytes;
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(b), b1 = v128.load(b2);
    let x = v128.load32_splat(a); c00 = madd(x, b0, c00); c01 = madd(x, b1, c01);
    x = v128.load32_splat(a, 4); c10 = madd(x, b0, c10); c11 = madd(x, b1, c11);
    x = v128.load32_splat(a, 8); c20 = madd(x, b0, c20); c21 = madd(x, b1, c21);
    x = v128.load32_splat(a, 12); c30 = madd(x, b0, c30); c31 = madd(x, b1, c31);
    x = v128.load32_splat(a, 16); c40 = madd(x, b0, c40); c41 = madd(x, b1, c41);
    x = v128.load32_splat(a, 20); c50 = madd(x, b0, c50); c51 = madd(x, b1, c51);
    a += 24;
    b += 16;
    b2 += 16;
  }
  v128.store(o, c00); v128.store(u, c01); v128.store(o, c10, 16); v128.store(u, c11, 16);
  v128.store(o, c20, 32); v128.store(u, c21, 32); v128.store(o, c30, 48); v128.store(u, c31, 48);
  v128.store(o, c40, 64); v128.store(u, c41, 64); v128.store(o, c50, 80); v128.store(u, c51, 80);
}

/**
 * Rows 0..n of x (width floats each, rows ld floats apart) into 6-row panels: the 6 values of
 * column e of rows 6j'..6j'+6 at dst + (j'·width + e)·24 bytes; rows past n are zero.
 */
export function pack6Rows(x: usize, n: i32, width: i32, ld: i32, dst: usize): void {
  const ldb = <usize>ld << 2;
  for (let j0 = 0; j0 < n; j0 += 6) {
    const panel = dst + (<usize>(j0 * width) << 2);
    const m = min(6, n - j0);
    for (let r = 0; r < 6; r++) {
      const src = x + <usize>(j0 + r) * ldb;
      let d = panel + (<usize>r << 2);
      if (r < m) {
        for (let e = 0; e < width; e++) { store<f32>(d, load<f32>(src + (<usize>e << 2))); d += 24; }
      } else {
        for (let e = 0; e < width; e++) { store<f32>(d, 0); d += 24; }
      }
    }
  }
}

/**
 * Columns 0..width of rows 0..n of x (rows ld floats apart) into 6-column panels of `rowsPer`
 * rows: V(j, 6e'+r) at dst + (e'·rowsPer + j)·24 + r·4 bytes; columns past width are zero.
 */
export function pack6Cols(x: usize, n: i32, width: i32, ld: i32, rowsPer: i32, dst: usize): void {
  const ldb = <usize>ld << 2;
  const panelBytes = <usize>rowsPer * 24;
  for (let j = 0; j < n; j++) {
    const src = x + <usize>j * ldb;
    let d = dst + <usize>j * 24;
    let e = 0;
    for (; e + 6 <= width; e += 6) {
      // 6 floats: one vector and two scalars
      v128.store(d, v128.load(src + (<usize>e << 2)));
      store<u64>(d + 16, load<u64>(src + (<usize>(e + 4) << 2)));
      d += panelBytes;
    }
    if (e < width) {
      for (let r = 0; r < 6; r++) store<f32>(d + (<usize>r << 2), e + r < width ? load<f32>(src + (<usize>(e + r) << 2)) : 0);
    }
  }
}

/** Keys per chunk of the P·V product: a chunk of every V panel (Ev·PV_KC·4 bytes) and of 8 tile rows stay in L1. */
const PV_KC: i32 = 128;

/**
 * Scores of `rows` query rows (q: 8-row panels of E floats, already times scale·log2 e) against
 * keys 0..n (kp: 6-key panels) into the 4-row-group tile t (gBytes per group, room for r6(n)
 * columns and, when rows % 8 is 1–4, one group past the last).
 */
export function scores6(E: i32, n: i32, rows: i32, kp: usize, qp: usize, t: usize, gBytes: usize): void {
  const kBytes = <usize>E * 24, qBytes = <usize>E << 5;
  for (let j = 0; j < n; j += 6) {
    const kj = kp + <usize>(j / 6) * kBytes;
    for (let r0 = 0; r0 < rows; r0 += 8) mk6s(E, kj, qp + <usize>(r0 >> 3) * qBytes, t + <usize>(r0 >> 2) * gBytes + (<usize>j << 4), gBytes);
  }
}

/**
 * P·V for `rows` rows of the weight tile t (keys 0..n) and V in 6-column panels of vRows rows
 * (vp), written to out (rows oRow floats apart) times the rows' 1/Σ (inv). ot: the product in
 * the tile's layout (column e of group g at ot + (g·r6(Ev) + e)·16; one group past the last).
 */
export function pv6(Ev: i32, n: i32, rows: i32, t: usize, gBytes: usize, vp: usize, vRows: i32, ot: usize, inv: usize, out: usize, oRow: i32): void {
  const Ev6 = r6(Ev);
  const oBytes = <usize>Ev6 << 4;
  memory.fill(ot, 0, <usize>((rows + 7) >> 3) * 2 * oBytes);
  for (let k0 = 0; k0 < n; k0 += PV_KC) {
    const kc = min(PV_KC, n - k0);
    for (let r0 = 0; r0 < rows; r0 += 8) {
      const b = t + <usize>(r0 >> 2) * gBytes + (<usize>k0 << 4);
      const o = ot + <usize>(r0 >> 2) * oBytes;
      for (let e = 0; e < Ev6; e += 6) mk6v(kc, vp + (<usize>((e / 6) * vRows + k0)) * 24, b, gBytes, o + (<usize>e << 4), oBytes);
    }
  }
  // out rows = the tile's columns transposed, times 1/Σ
  const Ev4 = Ev & ~3;
  const oRowB = <usize>oRow << 2;
  for (let r0 = 0; r0 < rows; r0 += 4) {
    const s = v128.load(inv + (<usize>r0 << 2));
    const src = ot + <usize>(r0 >> 2) * oBytes;
    const dst = out + <usize>r0 * oRowB;
    const m = min(4, rows - r0);
    for (let e = 0; e < Ev4; e += 4) {
      const x = src + (<usize>e << 4);
      const c0 = f32x4.mul(v128.load(x), s), c1 = f32x4.mul(v128.load(x, 16), s);
      const c2 = f32x4.mul(v128.load(x, 32), s), c3 = f32x4.mul(v128.load(x, 48), s);
      const t0 = v128.shuffle<f32>(c0, c1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(c0, c1, 2, 6, 3, 7);
      const t2 = v128.shuffle<f32>(c2, c3, 0, 4, 1, 5), t3 = v128.shuffle<f32>(c2, c3, 2, 6, 3, 7);
      const o = dst + (<usize>e << 2);
      v128.store(o, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
      if (m > 1) v128.store(o + oRowB, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
      if (m > 2) v128.store(o + 2 * oRowB, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
      if (m > 3) v128.store(o + 3 * oRowB, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
    }
    for (let e = Ev4; e < Ev; e++) {
      const c = f32x4.mul(v128.load(src + (<usize>e << 4)), s);
      const o = dst + (<usize>e << 2);
      store<f32>(o, f32x4.extract_lane(c, 0));
      if (m > 1) store<f32>(o + oRowB, f32x4.extract_lane(c, 1));
      if (m > 2) store<f32>(o + 2 * oRowB, f32x4.extract_lane(c, 2));
      if (m > 3) store<f32>(o + 3 * oRowB, f32x4.extract_lane(c, 3));
    }
  }
}
