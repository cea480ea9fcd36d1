/** Numerical agreement between two engines' outputs (a fast wrong answer is a failure). */

export interface Tolerance {
  /** Relative tolerance, as in numpy.allclose. */
  rtol: number;
  /** Absolute tolerance, scaled by the reference output's largest magnitude (so it is size-free). */
  atol: number;
}

export interface Agreement {
  ok: boolean;
  /** Largest |a - b| / max|b| over all outputs (0 when identical). */
  maxErr: number;
  /** Why it failed (count, length or first bad value); empty when ok. */
  detail: string;
}

/**
 * allclose per output: |a - b| <= atol * max|b| + rtol * |b| elementwise; NaN must meet NaN.
 * `expected` is the reference (Heed when it ran, otherwise the first peer that ran).
 */
export function agree(actual: readonly Float32Array[], expected: readonly Float32Array[], tol: Tolerance): Agreement {
  if (actual.length !== expected.length) {
    return { ok: false, maxErr: Infinity, detail: `output count ${actual.length} vs ${expected.length}` };
  }
  let maxErr = 0;
  for (let o = 0; o < actual.length; o++) {
    const a = actual[o]!;
    const b = expected[o]!;
    if (a.length !== b.length) {
      return { ok: false, maxErr: Infinity, detail: `output ${o} has ${a.length} elements vs ${b.length}` };
    }
    let scale = 0;
    for (const v of b) if (Number.isFinite(v)) scale = Math.max(scale, Math.abs(v));
    scale ||= 1;
    const atol = tol.atol * scale;
    for (let i = 0; i < a.length; i++) {
      const x = a[i]!;
      const y = b[i]!;
      if (Number.isNaN(x) || Number.isNaN(y)) {
        if (Number.isNaN(x) === Number.isNaN(y)) continue;
        return { ok: false, maxErr: Infinity, detail: `output ${o}[${i}]: ${x} vs ${y}` };
      }
      const err = Math.abs(x - y);
      maxErr = Math.max(maxErr, err / scale);
      if (!(err <= atol + tol.rtol * Math.abs(y))) {
        return { ok: false, maxErr, detail: `output ${o}[${i}]: ${x} vs ${y} (|diff| ${err.toExponential(2)}, max|ref| ${scale.toExponential(2)})` };
      }
    }
  }
  return { ok: true, maxErr, detail: "" };
}
