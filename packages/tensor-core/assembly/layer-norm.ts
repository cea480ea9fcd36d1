// Layer norm over contiguous rows of D floats (src/fused/layer-norm.ts), in float32 with four
// SIMD lanes: forward saves each row's mean and 1/σ; backward accumulates dw and db over rows.
// w and b are byte pointers or 0 (absent). All pointers are byte offsets into linear memory.

// @ts-expect-error: decorator (AssemblyScript syntax)
@inline function hsum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

// @ts-expect-error: decorator (AssemblyScript syntax)
@inline function wAt(w: usize, j: i32): f32 {
  return w == 0 ? 1 : load<f32>(w + (<usize>j << 2));
}

/** out = (x − μ)·r·w + b per row; mean[r] = μ, rstd[r] = r. */
export function layerNormForwardF32(x: usize, out: usize, mean: usize, rstd: usize, rows: i32, D: i32, w: usize, b: usize, eps: f32): void {
  const d4 = D & ~3;
  const ones = f32x4.splat(1);
  const zeros = f32x4.splat(0);
  for (let r = 0; r < rows; r++) {
    const xr = x + (<usize>(r * D) << 2);
    const yr = out + (<usize>(r * D) << 2);
    let sv = f32x4.splat(0);
    for (let j = 0; j < d4; j += 4) sv = f32x4.add(sv, v128.load(xr + (<usize>j << 2)));
    let s = hsum(sv);
    for (let j = d4; j < D; j++) s += load<f32>(xr + (<usize>j << 2));
    const mu = s / <f32>D;
    const mv = f32x4.splat(mu);
    let qv = f32x4.splat(0);
    for (let j = 0; j < d4; j += 4) {
      const c = f32x4.sub(v128.load(xr + (<usize>j << 2)), mv);
      qv = f32x4.add(qv, f32x4.mul(c, c));
    }
    let q = hsum(qv);
    for (let j = d4; j < D; j++) {
      const c = load<f32>(xr + (<usize>j << 2)) - mu;
      q += c * c;
    }
    const rs = <f32>1 / Mathf.sqrt(q / <f32>D + eps);
    store<f32>(mean + (<usize>r << 2), mu);
    store<f32>(rstd + (<usize>r << 2), rs);
    const rv = f32x4.splat(rs);
    for (let j = 0; j < d4; j += 4) {
      const o = <usize>j << 2;
      const h = f32x4.mul(f32x4.sub(v128.load(xr + o), mv), rv);
      const wv = w == 0 ? ones : v128.load(w + o);
      const bv = b == 0 ? zeros : v128.load(b + o);
      v128.store(yr + o, f32x4.add(f32x4.mul(h, wv), bv));
    }
    for (let j = d4; j < D; j++) {
      const o = <usize>j << 2;
      const h = (load<f32>(xr + o) - mu) * rs;
      store<f32>(yr + o, h * wAt(w, j) + (b == 0 ? 0 : load<f32>(b + o)));
    }
  }
}

/**
 * dx per row, dw += g·x̂ and db += g over rows (dw, db: D floats each, zeroed by the caller;
 * dw is written even without w, and then ignored).
 */
export function layerNormBackwardF32(x: usize, g: usize, mean: usize, rstd: usize, rows: i32, D: i32, w: usize, dx: usize, dw: usize, db: usize): void {
  const d4 = D & ~3;
  const ones = f32x4.splat(1);
  const invD = <f32>1 / <f32>D;
  for (let r = 0; r < rows; r++) {
    const xr = x + (<usize>(r * D) << 2);
    const gr = g + (<usize>(r * D) << 2);
    const dr = dx + (<usize>(r * D) << 2);
    const mu = load<f32>(mean + (<usize>r << 2));
    const rs = load<f32>(rstd + (<usize>r << 2));
    const mv = f32x4.splat(mu);
    const rv = f32x4.splat(rs);
    let sg = f32x4.splat(0);
    let sgh = f32x4.splat(0);
    for (let j = 0; j < d4; j += 4) {
      const o = <usize>j << 2;
      const gv = v128.load(gr + o);
      const h = f32x4.mul(f32x4.sub(v128.load(xr + o), mv), rv);
      v128.store(dw + o, f32x4.add(v128.load(dw + o), f32x4.mul(gv, h)));
      v128.store(db + o, f32x4.add(v128.load(db + o), gv));
      const gh = f32x4.mul(gv, w == 0 ? ones : v128.load(w + o));
      sg = f32x4.add(sg, gh);
      sgh = f32x4.add(sgh, f32x4.mul(gh, h));
    }
    let sG = hsum(sg);
    let sGH = hsum(sgh);
    for (let j = d4; j < D; j++) {
      const o = <usize>j << 2;
      const gj = load<f32>(gr + o);
      const h = (load<f32>(xr + o) - mu) * rs;
      store<f32>(dw + o, load<f32>(dw + o) + gj * h);
      store<f32>(db + o, load<f32>(db + o) + gj);
      const gh = gj * wAt(w, j);
      sG += gh;
      sGH += gh * h;
    }
    const mG = sG * invD;
    const mGH = sGH * invD;
    const mGv = f32x4.splat(mG);
    const mGHv = f32x4.splat(mGH);
    for (let j = 0; j < d4; j += 4) {
      const o = <usize>j << 2;
      const gh = f32x4.mul(v128.load(gr + o), w == 0 ? ones : v128.load(w + o));
      const h = f32x4.mul(f32x4.sub(v128.load(xr + o), mv), rv);
      v128.store(dr + o, f32x4.mul(rv, f32x4.sub(f32x4.sub(gh, mGv), f32x4.mul(h, mGHv))));
    }
    for (let j = d4; j < D; j++) {
      const o = <usize>j << 2;
      const gh = load<f32>(gr + o) * wAt(w, j);
      const h = (load<f32>(xr + o) - mu) * rs;
      store<f32>(dr + o, rs * (gh - mG - h * mGH));
    }
  }
}
