/**
 * `expect(actual).toBeAllclose(expected, { rtol = 1e-4, atol = 1e-5 })`: every
 * |actual − expected| <= atol + rtol·|expected| (numpy.allclose / torch.allclose), the project's
 * tolerance against a float64 reference. NaN matches only NaN and an infinity only the same
 * infinity. `actual` and `expected` are Tensors (anything with `data`, and `shape` when both have
 * one, which must then be equal), typed arrays, plain arrays, or numbers. The failure message
 * names the worst element.
 */
const values = (x) => (typeof x === "number" ? [x] : x !== null && typeof x === "object" && "data" in x ? x.data : x);

export function toBeAllclose(received, expected, { rtol = 1e-4, atol = 1e-5 } = {}) {
  // `pass` is the un-negated result; vitest applies `.not` itself
  const pass = (message) => ({ pass: true, message: () => message });
  const fail = (message) => ({ pass: false, message: () => message });
  const hasShape = (x) => x !== null && typeof x === "object" && "shape" in x && Array.isArray(x.shape);
  if (hasShape(received) && hasShape(expected)) {
    const [a, b] = [JSON.stringify(received.shape), JSON.stringify(expected.shape)];
    if (a !== b) return fail(`toBeAllclose: shape ${a} differs from the expected ${b}`);
  }
  const got = values(received);
  const want = values(expected);
  if (got?.length === undefined || want?.length === undefined) {
    return fail("toBeAllclose: expected a Tensor, an array or a number on both sides");
  }
  if (got.length !== want.length) return fail(`toBeAllclose: ${got.length} elements, expected ${want.length}`);
  let worst = -1;
  let worstExcess = 0;
  let bad = 0;
  for (let i = 0; i < got.length; i++) {
    const g = Number(got[i]);
    const e = Number(want[i]);
    let excess;
    if (Number.isNaN(e) || Number.isNaN(g)) excess = Number.isNaN(e) && Number.isNaN(g) ? 0 : Infinity;
    else if (!Number.isFinite(e) || !Number.isFinite(g)) excess = g === e ? 0 : Infinity;
    else excess = Math.abs(g - e) - (atol + rtol * Math.abs(e));
    if (excess > 0) {
      bad++;
      if (worst < 0 || excess > worstExcess) [worst, worstExcess] = [i, excess];
    }
  }
  const tol = `rtol ${rtol}, atol ${atol}`;
  if (bad === 0) return pass(`toBeAllclose: all ${got.length} elements within ${tol} (expected some not to be)`);
  return fail(`toBeAllclose: ${bad} of ${got.length} elements off (${tol}); worst at index ${worst}: got ${got[worst]}, expected ${want[worst]}`);
}
