/** Test helper (not exported by the package): deterministic pseudo-random values in [-1, 1) from a 32-bit LCG. */
export function lcgValues(n: number, seed: number): Float64Array {
  const out = new Float64Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2147483648 - 1;
  }
  return out;
}
