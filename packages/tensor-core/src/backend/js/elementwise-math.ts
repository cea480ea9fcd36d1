/**
 * Scalar special functions used by the elementwise kernels, in float64.
 *
 * erf / erfc: W. J. Cody's rational Chebyshev approximations ("Rational Chebyshev
 * approximations for the error function", Math. Comp. 23, 1969, pp. 631-638; the
 * coefficients are those of his SPECFUN routine CALERF). Three intervals:
 *   |x| <= 0.46875       erf(x)  = x·R1(x²)
 *   0.46875 < |x| <= 4   erfc(x) = exp(-x²)·R2(|x|)
 *   |x| > 4              erfc(x) = exp(-x²)/|x| · (1/√π + R3(1/x²)/x²)
 * Relative error about 1e-16 in float64, far below the 1e-7 we need.
 */

const THRESH = 0.46875;
/** Beyond this, erfc(x) underflows to 0 in float64. */
const XBIG = 26.543;
const INV_SQRT_PI = 0.5641895835477563;

/** erf(x) for |x| <= 0.46875. */
function erfSmall(x: number): number {
  const z = x * x;
  const num = (((0.18577770618460315 * z + 3.1611237438705655) * z + 113.86415415105016) * z + 377.485237685302) * z + 3209.3775891384694;
  const den = ((((z + 23.601290952344122) * z + 244.02463793444417) * z + 1282.6165260773723) * z + 2844.236833439171);
  return (x * num) / den;
}

/** exp(-y²) computed as exp(-a²)·exp(-(y-a)(y+a)) with a = y rounded down to 1/16 (Cody's trick, avoids cancellation in y²). */
function expMinusSquare(y: number): number {
  const a = Math.trunc(y * 16) / 16;
  return Math.exp(-a * a) * Math.exp(-(y - a) * (y + a));
}

/** erfc(y) for y > 0.46875. */
function erfcPositive(y: number): number {
  if (y <= 4) {
    const num =
      (((((((2.1531153547440383e-08 * y + 0.5641884969886701) * y + 8.883149794388377) * y + 66.11919063714163) * y +
        298.6351381974001) * y + 881.952221241769) * y + 1712.0476126340707) * y + 2051.0783778260716) * y + 1230.3393547979972;
    const den =
      (((((((y + 15.744926110709835) * y + 117.6939508913125) * y + 537.1811018620099) * y + 1621.3895745666903) * y +
        3290.7992357334597) * y + 4362.619090143247) * y + 3439.3676741437216) * y + 1230.3393548037495;
    return expMinusSquare(y) * (num / den);
  }
  if (y >= XBIG) return 0;
  const z = 1 / (y * y);
  const num = ((((0.016315387137302097 * z + 0.30532663496123236) * z + 0.36034489994980445) * z + 0.12578172611122926) * z + 0.016083785148742275) * z + 0.0006587491615298378;
  const den = ((((z + 2.568520192289822) * z + 1.8729528499234604) * z + 0.5279051029514285) * z + 0.06051834131244132) * z + 0.0023352049762686918;
  return (expMinusSquare(y) * (INV_SQRT_PI - (z * num) / den)) / y;
}

/** The error function erf(x) = 2/√π ∫₀ˣ exp(-t²) dt. */
export function erf(x: number): number {
  const y = Math.abs(x);
  if (!(y > THRESH)) return erfSmall(x); // also NaN
  const r = 0.5 - erfcPositive(y) + 0.5;
  return x < 0 ? -r : r;
}

/** The complementary error function erfc(x) = 1 - erf(x), accurate in the tails. */
export function erfc(x: number): number {
  const y = Math.abs(x);
  if (!(y > THRESH)) return 1 - erfSmall(x);
  return x < 0 ? 2 - erfcPositive(y) : erfcPositive(y);
}

/**
 * Logistic sigmoid 1/(1+e^-x), stable for large |x|: exp is only taken of a non-positive
 * number, so nothing overflows and tiny results keep their (subnormal) value.
 */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

const SQRT1_2 = Math.SQRT1_2;
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/**
 * Exact GELU (Hendrycks & Gimpel 2016): x·Φ(x) = 0.5·x·(1 + erf(x/√2)), written with erfc
 * (= 0.5·x·erfc(-x/√2)) so that large negative x keeps its tiny value instead of cancelling to 0.
 */
export function geluExact(x: number): number {
  return 0.5 * x * erfc(-x * SQRT1_2);
}

/**
 * GELU, tanh approximation: 0.5·x·(1 + tanh(u)) with u = √(2/π)·(x + 0.044715·x³),
 * evaluated as x·sigmoid(2u) = x / (1 + e^(-2u)) (the same function; one exp instead of a
 * slower Math.tanh, and no cancellation in 1 + tanh(u) for negative x).
 */
export function geluTanh(x: number): number {
  return x / (1 + Math.exp(-2 * SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)));
}
