// The forward attention products as 6×8 register blocks (12 f32x4 accumulators; FMA with
// relaxed SIMD), oriented so that each accumulator is one vector of 4 query rows — the score
// tile's layout (4-row groups, column j of group g: one vector at t + (g·n8 + j)·16), so
// neither product transposes anything:
//   scores: 6 keys × 8 queries, A = K in 6-key panels (splat), B = Q in 8-query panels;
//   P·V:    6 value columns × 8 queries, A = V in 6-column panels (splat), B = the score tile.
// The block itself is mk6.ts's (shared with the GEMM).
// All pointers and strides are bytes.
import { mk6, mk6Acc } from "./mk6";

/** round up to a multiple of 6 */
// @ts-expect-error: decorator (AssemblyScript syntax)
@inline export function r6(x: i32): i32 { return ((x + 5) / 6) * 6; }

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
    for (let r0 = 0; r0 < rows; r0 += 8) mk6(E, kj, qp + <usize>(r0 >> 3) * qBytes, 16, 32, t + <usize>(r0 >> 2) * gBytes + (<usize>j << 4), 16, gBytes);
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
      for (let e = 0; e < Ev6; e += 6) mk6Acc(kc, vp + (<usize>((e / 6) * vRows + k0)) * 24, b, gBytes, 16, o + (<usize>e << 4), 16, oBytes);
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
