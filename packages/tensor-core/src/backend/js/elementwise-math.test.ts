import { describe, expect, it } from "vitest";
import { erf, erfc, geluExact, geluTanh, sigmoid } from "./elementwise-math.js";

/** Independent float64 references: Maclaurin series for |x| <= 2, Laplace continued fraction for erfc beyond. */
function erfSeries(x: number): number {
  let term = x;
  let sum = x;
  for (let n = 1; n < 200 && Math.abs(term) > 1e-18 * Math.abs(sum); n++) {
    term *= (-x * x) / n;
    sum += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}
function erfcContinuedFraction(x: number): number {
  // erfc(x) = exp(-x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))), x > 0
  let t = x;
  for (let n = 400; n >= 1; n--) t = x + n / 2 / t;
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / t;
}
const refErfc = (x: number): number => (x > 2 ? erfcContinuedFraction(x) : 1 - erfSeries(x));
const refErf = (x: number): number => (Math.abs(x) <= 2 ? erfSeries(x) : Math.sign(x) * (1 - erfcContinuedFraction(Math.abs(x))));

describe("erf (Cody rational approximations)", () => {
  it("the references agree with tabulated values", () => {
    expect(refErf(0.5)).toBeCloseTo(0.5204998778130465, 15);
    expect(refErf(1)).toBeCloseTo(0.8427007929497149, 15);
    expect(refErfc(2)).toBeCloseTo(0.004677734981047266, 14);
    expect(refErfc(3) / 2.209049699858544e-5).toBeCloseTo(1, 12);
  });

  it("is within 1e-13 of the reference on [-6, 6] (the target is 1e-7)", () => {
    let worst = 0;
    for (let x = -6; x <= 6; x += 0.001) worst = Math.max(worst, Math.abs(erf(x) - refErf(x)));
    expect(worst).toBeLessThan(1e-13);
  });

  it("erfc keeps relative accuracy in the tail up to underflow", () => {
    let worst = 0;
    for (let x = 0.1; x < 26; x += 0.01) worst = Math.max(worst, Math.abs(erfc(x) / refErfc(x) - 1));
    expect(worst).toBeLessThan(1e-12);
    expect(erfc(30)).toBe(0);
    expect(erfc(-30)).toBe(2);
    expect(erfc(-1)).toBeCloseTo(2 - refErfc(1), 15);
  });

  it("is odd, saturates at ±1 and propagates NaN", () => {
    for (const x of [0.1, 0.46875, 0.47, 1.3, 3.9, 4.1, 10]) expect(erf(-x)).toBe(-erf(x));
    expect(erf(0)).toBe(0);
    expect(erf(1e4)).toBe(1);
    expect(erf(-Infinity)).toBe(-1);
    expect(erf(NaN)).toBeNaN();
    expect(erfc(NaN)).toBeNaN();
  });
});

describe("sigmoid", () => {
  it("matches 1/(1+e^-x) and is stable at ±1e4", () => {
    for (const x of [-20, -3, -0.5, 0, 0.5, 3, 20]) expect(sigmoid(x)).toBeCloseTo(1 / (1 + Math.exp(-x)), 15);
    expect(sigmoid(1e4)).toBe(1);
    expect(sigmoid(-1e4)).toBe(0);
    expect(sigmoid(-745)).toBeGreaterThan(0); // exp(-745) is the smallest subnormal; no 0/0
    expect(sigmoid(NaN)).toBeNaN();
  });
});

describe("gelu", () => {
  it("exact form is 0.5·x·(1 + erf(x/√2)) and keeps tiny negative tails", () => {
    for (let x = -5; x <= 5; x += 0.01) expect(geluExact(x)).toBeCloseTo(0.5 * x * (1 + refErf(x / Math.SQRT2)), 13);
    // x·Φ(x) at x = -10 is about -7.6e-23; 1 + erf(x/√2) would cancel to 0
    expect(geluExact(-10) / (-10 * 0.5 * refErfc(10 / Math.SQRT2))).toBeCloseTo(1, 12);
    expect(geluExact(1e4)).toBe(1e4);
    expect(Math.abs(geluExact(-1e4))).toBe(0);
  });

  it("tanh form matches its formula and saturates", () => {
    const k = Math.sqrt(2 / Math.PI);
    for (let x = -5; x <= 5; x += 0.01) expect(geluTanh(x)).toBeCloseTo(0.5 * x * (1 + Math.tanh(k * (x + 0.044715 * x ** 3))), 14);
    expect(geluTanh(1e4)).toBe(1e4);
    expect(Math.abs(geluTanh(-1e4))).toBe(0);
    expect(Math.abs(geluTanh(1) - geluExact(1))).toBeLessThan(1e-3);
  });
});
