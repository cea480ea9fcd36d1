import { arange } from "../../create.js";
import { run } from "../../dispatch.js";
import { describeValue } from "../../options.js";
import { formatShape, normalizeAxis } from "../../shape.js";
import type { Tensor } from "../../tensor.js";
import { expectTensor } from "../elementwise/convert.js";

/** Python slice bound: negative counts from the end, then clamp to [0, dim]. */
function clampBound(v: number | null | undefined, dim: number, fallback: number): number {
  if (v === null || v === undefined) return fallback;
  const w = v < 0 ? v + dim : v;
  return Math.min(Math.max(w, 0), dim);
}

/**
 * Basic slicing of the leading dimensions, like `x[s0:e0:st0, s1:e1, ...]` in Python:
 * null means "from the start" / "to the end", negative bounds count from the end and
 * out-of-range bounds clamp. Steps must be positive; steps > 1 gather every step-th element.
 *
 * @example
 * slice(arange(10), [1], [8], [3]);            // [1, 4, 7]
 * slice(zeros([4, 5]), [null, -2]).shape;      // [4, 2]
 */
export function slice(x: Tensor, starts: readonly (number | null)[], ends?: readonly (number | null)[], steps?: readonly number[]): Tensor {
  expectTensor("slice", x);
  for (const [name, list] of [["starts", starts], ["ends", ends], ["steps", steps]] as const) {
    if (list !== undefined && !Array.isArray(list)) {
      const narrow = name === "starts" && typeof list === "number" ? ` (one axis from a start: narrow(x, axis, start, length))` : "";
      throw new Error(`slice: expected '${name}' as an array with one entry per leading dimension, like slice(x, [0, 1], [2, 3]), got ${describeValue(list)}${narrow}`);
    }
  }
  const n = Math.max(starts.length, ends?.length ?? 0, steps?.length ?? 0);
  const setting = `starts: [${starts.join(",")}], ends: [${(ends ?? []).join(",")}], steps: [${(steps ?? []).join(",")}]`;
  if (n > x.rank) throw new Error(`slice: ${n} dimensions given for x: ${formatShape(x.shape)} (${setting})`);
  for (const v of [...starts, ...(ends ?? [])]) {
    if (v !== null && !Number.isInteger(v)) throw new Error(`slice: bounds must be integers or null (x: ${formatShape(x.shape)}, ${setting})`);
  }
  const st = x.shape.map((_, d) => steps?.[d] ?? 1);
  if (st.some((s) => !Number.isInteger(s) || s <= 0)) throw new Error(`slice: steps must be positive integers (x: ${formatShape(x.shape)}, ${setting})`);
  const begin = x.shape.map((dim, d) => clampBound(starts[d], dim, 0));
  const end = x.shape.map((dim, d) => Math.max(begin[d]!, clampBound(ends?.[d], dim, dim)));
  let out = run("slice", [x], { begin, end });
  st.forEach((s, d) => {
    if (s > 1) out = run("gather", [out, arange(0, out.shape[d], s, "int32")], { axis: d });
  });
  return out;
}

/**
 * `length` elements of dimension `axis` starting at `start` (negative counts from the end),
 * like torch.narrow.
 *
 * @example
 * narrow(arange(6), 0, 2, 3);   // [2, 3, 4]
 */
export function narrow(x: Tensor, axis: number, start: number, length: number): Tensor {
  expectTensor("narrow", x);
  const a = normalizeAxis("narrow", axis, x.rank, x.shape);
  const dim = x.shape[a]!;
  const s = start < 0 ? start + dim : start;
  if (!Number.isInteger(start) || !Number.isInteger(length) || s < 0 || length < 0 || s + length > dim) {
    throw new Error(`narrow: start ${start} and length ${length} do not fit axis ${axis} of size ${dim} (x: ${formatShape(x.shape)})`);
  }
  const begin = x.shape.map((_, d) => (d === a ? s : 0));
  const end = x.shape.map((size, d) => (d === a ? s + length : size));
  return run("slice", [x], { begin, end });
}
