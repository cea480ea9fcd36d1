// Vectorised exp for f32x4 (Cephes expf): exp(x) = 2^n · p(r), x = n·ln2 + r, |r| <= ln2/2,
// Horner steps fused (FMA) where relaxed SIMD is available. Relative error ≈ 1e-7 for x in
// [-87.3, 88.3]; below -87.3 the result is exactly 0 (so -Infinity gives 0), above 88.3 it
// saturates at 2^127·p (the softmax callers only pass x ≤ 0), and NaN stays NaN.
// pmin/pmax (one instruction each; NaN kept because x is the first operand) and the
// round-to-nearest "magic number" 1.5·2^23 (the integer n sits in the low mantissa bits)
// replace the NaN-propagating min/max, nearest and trunc_sat, which are ~8 x86 instructions each.

/** c + a·b: one fused multiply-add where relaxed SIMD is available, mul then add otherwise. */
// @ts-expect-error: decorator (AssemblyScript syntax)
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

const MAGIC: f32 = 12582912.0; // 1.5·2^23, bits 0x4B400000

// @ts-expect-error: decorator (AssemblyScript syntax)
@inline export function exp4(x: v128): v128 {
  const under = f32x4.lt(x, f32x4.splat(-87.33654));
  const xc = f32x4.pmin(f32x4.pmax(x, f32x4.splat(-87.33654)), f32x4.splat(88.3762626647949));
  const t = madd(xc, f32x4.splat(1.442695041), f32x4.splat(MAGIC));
  const n = f32x4.sub(t, f32x4.splat(MAGIC));
  let r = madd(n, f32x4.splat(-0.693359375), xc);
  r = madd(n, f32x4.splat(2.12194440e-4), r);
  let p = madd(f32x4.splat(1.9875691500e-4), r, f32x4.splat(1.3981999507e-3));
  p = madd(p, r, f32x4.splat(8.3334519073e-3));
  p = madd(p, r, f32x4.splat(4.1665795894e-2));
  p = madd(p, r, f32x4.splat(1.6666665459e-1));
  p = madd(p, r, f32x4.splat(5.0000001201e-1));
  p = f32x4.add(madd(p, f32x4.mul(r, r), r), f32x4.splat(1));
  // 2^n: (bits(t) − bits(MAGIC) + 127) << 23, n in [-126, 127]
  const scale = i32x4.shl(i32x4.sub(t, i32x4.splat(0x4b400000 - 127)), 23);
  return v128.andnot(f32x4.mul(p, scale), under);
}

/** Scalar exp through the vector path (same rounding as exp4). */
// @ts-expect-error: decorator (AssemblyScript syntax)
@inline export function exp1(x: f32): f32 {
  return f32x4.extract_lane(exp4(f32x4.splat(x)), 0);
}

/**
 * 2^x for x ≤ 0 (Cephes exp2f): x = n + r, n = round(x), |r| ≤ 1/2, 2^r = 1 + r·P(r); relative
 * error ≈ 2e-7. Below −126 the result is 0 (so −Infinity gives 0); NaN stays NaN. No upper
 * clamp: callers pass x − max(x) (or a score minus its logsumexp), which is ≤ 0 up to rounding.
 * Cheaper than exp4 (no ln 2 range reduction): the attention kernels keep scores in log2 units.
 */
// @ts-expect-error: decorator (AssemblyScript syntax)
@inline export function exp2x4(x: v128): v128 {
  const under = f32x4.lt(x, f32x4.splat(-126.0));
  const xc = f32x4.pmax(x, f32x4.splat(-126.0));
  const t = f32x4.add(xc, f32x4.splat(MAGIC));
  const r = f32x4.sub(xc, f32x4.sub(t, f32x4.splat(MAGIC)));
  let p = madd(f32x4.splat(1.535336188319500e-4), r, f32x4.splat(1.339887440266574e-3));
  p = madd(p, r, f32x4.splat(9.618437357674640e-3));
  p = madd(p, r, f32x4.splat(5.550332471162809e-2));
  p = madd(p, r, f32x4.splat(2.402264791363012e-1));
  p = madd(p, r, f32x4.splat(6.931472028550421e-1));
  p = madd(p, r, f32x4.splat(1));
  const scale = i32x4.shl(i32x4.sub(t, i32x4.splat(0x4b400000 - 127)), 23);
  return v128.andnot(f32x4.mul(p, scale), under);
}

/**
 * log2(x) for finite x ≥ 1 (a softmax denominator): x = 2^e·m, m in [1, 2), u = (m − 1)/(m + 1) in
 * [0, 1/3], log2 m = (2/ln 2)·atanh(u) = (2/ln 2)·(u + u³/3 + … + u¹¹/11); absolute error ≈ 1e-7.
 */
// @ts-expect-error: decorator (AssemblyScript syntax)
@inline export function log2x4(x: v128): v128 {
  const e = f32x4.convert_i32x4_s(i32x4.sub(i32x4.shr_u(x, 23), i32x4.splat(127)));
  const m = v128.or(v128.and(x, i32x4.splat(0x007fffff)), i32x4.splat(0x3f800000));
  const u = f32x4.div(f32x4.sub(m, f32x4.splat(1)), f32x4.add(m, f32x4.splat(1)));
  const u2 = f32x4.mul(u, u);
  let p = madd(f32x4.splat(1.0 / 11.0), u2, f32x4.splat(1.0 / 9.0));
  p = madd(p, u2, f32x4.splat(1.0 / 7.0));
  p = madd(p, u2, f32x4.splat(1.0 / 5.0));
  p = madd(p, u2, f32x4.splat(1.0 / 3.0));
  p = madd(p, u2, f32x4.splat(1));
  return madd(f32x4.mul(p, u), f32x4.splat(2.8853900817779268), e);
}
