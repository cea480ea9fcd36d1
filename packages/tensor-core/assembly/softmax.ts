// Fused, numerically stable softmax / logSoftmax over contiguous rows of length n:
//   m = max_j x_j,  s = Σ_j exp(x_j − m),  softmax = exp(x − m)/s,  logSoftmax = x − m − log s.
// NaN or +Infinity anywhere in a row, or a row that is all −Infinity, gives a NaN row
// (x − m is NaN there), as in the reference kernel and PyTorch.
import { exp1, exp4 } from "./expf";

/** max over a row of n floats (NaN if any is NaN). */
export function rowMax(x: usize, n: i32): f32 {
  const n4 = n & ~3;
  // pmax is one instruction but drops NaN: track NaN lanes separately
  let mv = f32x4.splat(-Infinity);
  let nan = v128.splat<i32>(0);
  for (let j = 0; j < n4; j += 4) {
    const v = v128.load(x + (<usize>j << 2));
    mv = f32x4.pmax(mv, v);
    nan = v128.or(nan, f32x4.ne(v, v));
  }
  let m = max(max(f32x4.extract_lane(mv, 0), f32x4.extract_lane(mv, 1)), max(f32x4.extract_lane(mv, 2), f32x4.extract_lane(mv, 3)));
  if (v128.any_true(nan)) m = NaN;
  for (let j = n4; j < n; j++) m = max(m, load<f32>(x + (<usize>j << 2)));
  return m;
}

/** rows × n, row-major x → y (may alias x). `log` selects logSoftmax. */
export function softmaxRows(x: usize, y: usize, rows: i32, n: i32, log: bool): void {
  const n4 = n & ~3;
  for (let i = 0; i < rows; i++) {
    const xr = x + (<usize>(i * n) << 2);
    const yr = y + (<usize>(i * n) << 2);
    const m = rowMax(xr, n);
    const mv = f32x4.splat(m);
    let sv = f32x4.splat(0);
    let s: f32 = 0;
    if (log) {
      for (let j = 0; j < n4; j += 4) sv = f32x4.add(sv, exp4(f32x4.sub(v128.load(xr + (<usize>j << 2)), mv)));
      for (let j = n4; j < n; j++) s += exp1(load<f32>(xr + (<usize>j << 2)) - m);
    } else {
      for (let j = 0; j < n4; j += 4) {
        const e = exp4(f32x4.sub(v128.load(xr + (<usize>j << 2)), mv));
        v128.store(yr + (<usize>j << 2), e);
        sv = f32x4.add(sv, e);
      }
      for (let j = n4; j < n; j++) {
        const e = exp1(load<f32>(xr + (<usize>j << 2)) - m);
        store<f32>(yr + (<usize>j << 2), e);
        s += e;
      }
    }
    s += (f32x4.extract_lane(sv, 0) + f32x4.extract_lane(sv, 1)) + (f32x4.extract_lane(sv, 2) + f32x4.extract_lane(sv, 3));
    if (log) {
      // (x − m) − log s: subtracting m first keeps large inputs (±1e4) exact
      const ls = <f32>Math.log(<f64>s);
      const lv = f32x4.splat(ls);
      for (let j = 0; j < n4; j += 4) v128.store(yr + (<usize>j << 2), f32x4.sub(f32x4.sub(v128.load(xr + (<usize>j << 2)), mv), lv));
      for (let j = n4; j < n; j++) store<f32>(yr + (<usize>j << 2), load<f32>(xr + (<usize>j << 2)) - m - ls);
    } else {
      const inv = f32x4.splat(<f32>1 / s);
      for (let j = 0; j < n4; j += 4) v128.store(yr + (<usize>j << 2), f32x4.mul(v128.load(yr + (<usize>j << 2)), inv));
      const iv = f32x4.extract_lane(inv, 0);
      for (let j = n4; j < n; j++) store<f32>(yr + (<usize>j << 2), load<f32>(yr + (<usize>j << 2)) * iv);
    }
  }
}
