// Vectorised exp for f32x4 (Cephes expf): exp(x) = 2^n · p(r), x = n·ln2 + r, |r| <= ln2/2.
// Relative error ≈ 1e-7 for x in [-87.3, 88.7]; below -87.3 the result is exactly 0
// (so -Infinity gives 0), above 88.7 it is +Infinity, and NaN stays NaN.

// @ts-ignore: decorator
@inline export function exp4(x: v128): v128 {
  const under = f32x4.lt(x, f32x4.splat(-87.33654));
  const over = f32x4.gt(x, f32x4.splat(88.72283));
  const xc = f32x4.min(f32x4.max(x, f32x4.splat(-87.33654)), f32x4.splat(88.72283));
  const n = f32x4.nearest(f32x4.mul(xc, f32x4.splat(1.442695041)));
  let r = f32x4.sub(xc, f32x4.mul(n, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  p = f32x4.add(f32x4.add(f32x4.mul(p, f32x4.mul(r, r)), r), f32x4.splat(1));
  // 2^n via the exponent bits; n in [-126, 128] after clamping (n = 128 only on overflow)
  const ni = i32x4.min_s(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127));
  const scale = i32x4.shl(i32x4.add(ni, i32x4.splat(127)), 23);
  let y = f32x4.mul(p, scale);
  y = v128.bitselect(f32x4.splat(Infinity), y, over);
  return v128.andnot(y, under);
}

/** Scalar exp through the vector path (same rounding as exp4). */
// @ts-ignore: decorator
@inline export function exp1(x: f32): f32 {
  return f32x4.extract_lane(exp4(f32x4.splat(x)), 0);
}
