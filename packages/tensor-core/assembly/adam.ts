// One Adam / AdamW step in place on float32 arrays (src/fused/adam.ts formulas, without
// amsgrad): x, g, m, v are byte pointers to n floats. c1 = 1 − β1 and c2 = 1 − β2 come from
// the caller in float64 (1 − β2 in float32 would lose ~1e-5 of its value to cancellation).
export function adamStepF32(x: usize, g: usize, m: usize, v: usize, n: i32, c1: f32, b2: f32, c2: f32, eps: f32, stepSize: f32, bc2Sqrt: f32, decay: f32, l2: f32, maximize: bool): void {
  const vc1 = f32x4.splat(c1), vb2 = f32x4.splat(b2), vc2 = f32x4.splat(c2);
  const ve = f32x4.splat(eps), vs = f32x4.splat(stepSize), vbc = f32x4.splat(bc2Sqrt), vd = f32x4.splat(decay), vl2 = f32x4.splat(l2);
  const sign = f32x4.splat(maximize ? -1 : 1);
  const n4 = n & ~3;
  for (let i = 0; i < n4; i += 4) {
    const o = <usize>i << 2;
    let xv = v128.load(x + o);
    if (decay != 1) xv = f32x4.mul(xv, vd);
    let gv = f32x4.mul(v128.load(g + o), sign);
    if (l2 != 0) gv = f32x4.add(gv, f32x4.mul(vl2, xv));
    let mv = v128.load(m + o);
    mv = f32x4.add(mv, f32x4.mul(vc1, f32x4.sub(gv, mv)));
    const vv = f32x4.add(f32x4.mul(vb2, v128.load(v + o)), f32x4.mul(f32x4.mul(vc2, gv), gv));
    v128.store(m + o, mv);
    v128.store(v + o, vv);
    const den = f32x4.add(f32x4.div(f32x4.sqrt(vv), vbc), ve);
    v128.store(x + o, f32x4.sub(xv, f32x4.div(f32x4.mul(vs, mv), den)));
  }
  for (let i = n4; i < n; i++) {
    const o = <usize>i << 2;
    let xs = load<f32>(x + o);
    if (decay != 1) xs *= decay;
    let gs = maximize ? -load<f32>(g + o) : load<f32>(g + o);
    if (l2 != 0) gs += l2 * xs;
    let ms = load<f32>(m + o);
    ms = ms + c1 * (gs - ms);
    const vs1 = b2 * load<f32>(v + o) + c2 * gs * gs;
    store<f32>(m + o, ms);
    store<f32>(v + o, vs1);
    store<f32>(x + o, xs - (stepSize * ms) / (Mathf.sqrt(vs1) / bc2Sqrt + eps));
  }
}
