// Float32 elementwise kernels for the ops a training step runs most (residual adds, bias
// adds, scaling, ReLU and its gradient). JS copies the operands in and the result out; the
// copies run at memcpy speed, so even these one-pass ops are several times faster than a
// plain JS loop. All pointers are byte offsets into linear memory; n counts floats.
// out may alias an input.

import { EW_ADD, EW_DIV, EW_MUL, EW_SUB } from "../src/backend/wasm/abi";

// @ts-expect-error: decorator (AssemblyScript syntax)
@inline function op4(op: i32, x: v128, y: v128): v128 {
  if (op == EW_ADD) return f32x4.add(x, y);
  if (op == EW_SUB) return f32x4.sub(x, y);
  if (op == EW_MUL) return f32x4.mul(x, y);
  return f32x4.div(x, y);
}

// @ts-expect-error: decorator (AssemblyScript syntax)
@inline function op1(op: i32, x: f32, y: f32): f32 {
  if (op == EW_ADD) return x + y;
  if (op == EW_SUB) return x - y;
  if (op == EW_MUL) return x * y;
  return x / y;
}

/**
 * out[i] = a[i] ∘ b[i mod bn] (or b[i mod bn] ∘ a[i] when `swap`) for i < n, n a multiple of bn:
 * same shapes (bn = n), a scalar (bn = 1) or rows of a [n / bn, bn] matrix (a bias).
 */
// @ts-expect-error: decorator (AssemblyScript syntax)
@inline function binaryLoop(op: i32, swap: bool, a: usize, b: usize, out: usize, n: i32, bn: i32): void {
  if (bn == 1) {
    const s = load<f32>(b);
    const sv = f32x4.splat(s);
    const n4 = n & ~3;
    for (let i = 0; i < n4; i += 4) {
      const o = <usize>i << 2;
      const x = v128.load(a + o);
      v128.store(out + o, swap ? op4(op, sv, x) : op4(op, x, sv));
    }
    for (let i = n4; i < n; i++) {
      const o = <usize>i << 2;
      const x = load<f32>(a + o);
      store<f32>(out + o, swap ? op1(op, s, x) : op1(op, x, s));
    }
    return;
  }
  const b4 = bn & ~3;
  for (let r = 0; r < n; r += bn) {
    const ar = a + (<usize>r << 2);
    const cr = out + (<usize>r << 2);
    for (let j = 0; j < b4; j += 4) {
      const o = <usize>j << 2;
      const x = v128.load(ar + o);
      const y = v128.load(b + o);
      v128.store(cr + o, swap ? op4(op, y, x) : op4(op, x, y));
    }
    for (let j = b4; j < bn; j++) {
      const o = <usize>j << 2;
      const x = load<f32>(ar + o);
      const y = load<f32>(b + o);
      store<f32>(cr + o, swap ? op1(op, y, x) : op1(op, x, y));
    }
  }
}

/** See binaryLoop; `op` is one of EW_ADD, EW_SUB, EW_MUL, EW_DIV. */
export function binaryF32(op: i32, swap: bool, a: usize, b: usize, out: usize, n: i32, bn: i32): void {
  if (n <= 0 || bn <= 0) return;
  if (op == EW_ADD) binaryLoop(EW_ADD, false, a, b, out, n, bn);
  else if (op == EW_MUL) binaryLoop(EW_MUL, false, a, b, out, n, bn);
  else if (op == EW_SUB) {
    if (swap) binaryLoop(EW_SUB, true, a, b, out, n, bn);
    else binaryLoop(EW_SUB, false, a, b, out, n, bn);
  } else if (swap) binaryLoop(EW_DIV, true, a, b, out, n, bn);
  else binaryLoop(EW_DIV, false, a, b, out, n, bn);
}

/** out = max(x, 0), NaN kept, −0 → +0 (wasm max: NaN if either is NaN, and +0 > −0). */
export function reluF32(x: usize, out: usize, n: i32): void {
  const z = f32x4.splat(0);
  const n4 = n & ~3;
  for (let i = 0; i < n4; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, f32x4.max(v128.load(x + o), z));
  }
  for (let i = n4; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, max<f32>(load<f32>(x + o), 0));
  }
}

/** out = g where x > 0, else 0 (NaN in x gives 0). */
export function reluGradF32(g: usize, x: usize, out: usize, n: i32): void {
  const z = f32x4.splat(0);
  const n4 = n & ~3;
  for (let i = 0; i < n4; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, v128.and(v128.load(g + o), f32x4.gt(v128.load(x + o), z)));
  }
  for (let i = n4; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, load<f32>(x + o) > 0 ? load<f32>(g + o) : 0);
  }
}

/**
 * Sums of x viewed as [outer, R, inner] over R, accumulated in float64 like the reference
 * kernel: column sums (inner > 1) add the rows in order, so they match it bit for bit; row
 * sums (inner = 1) use two float64 lanes. `acc` is scratch for `inner` float64s.
 */
export function sumF32(x: usize, out: usize, outer: i32, R: i32, inner: i32, acc: usize): void {
  for (let o = 0; o < outer; o++) {
    const xo = x + (<usize>(o * R * inner) << 2);
    if (inner == 1) {
      let a = f64x2.splat(0);
      let b = f64x2.splat(0);
      const r4 = R & ~3;
      for (let r = 0; r < r4; r += 4) {
        const v = v128.load(xo + (<usize>r << 2));
        a = f64x2.add(a, f64x2.promote_low_f32x4(v));
        b = f64x2.add(b, f64x2.promote_low_f32x4(v128.shuffle<i32>(v, v, 2, 3, 0, 1)));
      }
      let s = (f64x2.extract_lane(a, 0) + f64x2.extract_lane(b, 0)) + (f64x2.extract_lane(a, 1) + f64x2.extract_lane(b, 1));
      for (let r = r4; r < R; r++) s += <f64>load<f32>(xo + (<usize>r << 2));
      store<f32>(out + (<usize>o << 2), <f32>s);
      continue;
    }
    memory.fill(acc, 0, <usize>inner << 3);
    const i2 = inner & ~1;
    for (let r = 0; r < R; r++) {
      const xr = xo + (<usize>(r * inner) << 2);
      for (let j = 0; j < i2; j += 2) {
        const p = acc + (<usize>j << 3);
        v128.store(p, f64x2.add(v128.load(p), f64x2.promote_low_f32x4(v128.load64_zero(xr + (<usize>j << 2)))));
      }
      if (i2 < inner) {
        const p = acc + (<usize>i2 << 3);
        store<f64>(p, load<f64>(p) + <f64>load<f32>(xr + (<usize>i2 << 2)));
      }
    }
    const oo = out + (<usize>(o * inner) << 2);
    for (let j = 0; j < inner; j++) store<f32>(oo + (<usize>j << 2), <f32>load<f64>(acc + (<usize>j << 3)));
  }
}
