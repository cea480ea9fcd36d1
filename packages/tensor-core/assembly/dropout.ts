// Counter-based element dropout (src/fused/dropout.ts): element i is dropped iff
// fmix32(key + i·0x27d4eb2f) < threshold, where key = dropoutKey(seed, 0) is computed by the
// caller; kept elements are multiplied by `scale`, dropped ones by 0. The mask is never
// stored: forward and backward regenerate it from the same key.

import { fmix32, fmix4 } from "./hash";

/** out[i] = x[i]·(hash(i) < threshold ? 0 : scale) for i < n (out may alias x). */
export function dropoutF32(x: usize, out: usize, n: i32, key: u32, threshold: u32, scale: f32): void {
  const C: u32 = 0x27d4eb2f;
  const step = i32x4.splat(<i32>(4 * C));
  let cols = i32x4.add(i32x4.splat(<i32>key), i32x4.mul(i32x4(0, 1, 2, 3), i32x4.splat(<i32>C)));
  const t = i32x4.splat(<i32>threshold);
  const s = f32x4.splat(scale);
  const n4 = n & ~3;
  for (let i = 0; i < n4; i += 4) {
    const keep = i32x4.ge_u(fmix4(cols), t);
    const o = <usize>i << 2;
    v128.store(out + o, f32x4.mul(v128.load(x + o), v128.and(keep, s)));
    cols = i32x4.add(cols, step);
  }
  for (let i = n4; i < n; i++) {
    const h = fmix32(key + <u32>i * C);
    const o = <usize>i << 2;
    store<f32>(out + o, load<f32>(x + o) * (h < threshold ? <f32>0 : scale));
  }
}
