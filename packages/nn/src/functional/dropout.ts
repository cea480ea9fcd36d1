import { customVjp } from "@heed/autograd";
import { formatShape, Tensor, type Generator } from "@heed/tensor-core";
import { resolveGenerator } from "../random.js";

/**
 * src·keep·scale. A module-level function, not a closure made per call: V8 keeps type
 * feedback per closure, so a fresh closure would start its long loop unoptimised.
 */
function masked(src: Tensor, keep: Uint8Array, scale: number): Tensor {
  const s = src.data;
  const out = src.dtype === "float64" ? new Float64Array(keep.length) : new Float32Array(keep.length);
  // x·(keep·scale): branch-free (a select on random bits mispredicts); x·0 keeps −0 and NaN, as mul does
  for (let i = 0; i < out.length; i++) out[i] = s[i]! * (keep[i]! * scale);
  return new Tensor(out, src.shape, src.dtype);
}

/**
 * Inverted dropout (Srivastava et al. 2014; torch.nn.functional.dropout): in training each
 * element is zeroed with probability p and the survivors are scaled by 1/(1 − p); outside
 * training (or with p = 0) x is returned unchanged. p = 1 gives zeros.
 * One recorded node: the keep mask is saved as bytes and the backward is g·mask/(1 − p)
 * (the composition `mul(x, factors)` is its test oracle).
 *
 * @example
 * dropout(x, 0.1, model.training, new Generator(0));
 */
export function dropout(x: Tensor, p = 0.5, training = true, rng?: Generator): Tensor {
  if (!(p >= 0 && p <= 1)) throw new Error(`dropout: probability p must be in [0, 1], got ${p} (x: ${formatShape(x.shape)})`);
  if (!training || p === 0) return x;
  if (x.dtype !== "float32" && x.dtype !== "float64") throw new Error(`dropout: x must be a float tensor, got dtype '${x.dtype}' (shape ${formatShape(x.shape)})`);
  const g = resolveGenerator(rng);
  const keep = new Uint8Array(x.size);
  // one 32-bit draw per element: kept iff u < (1 − p)·2³² (P = 1 − p up to 2⁻³²)
  const threshold = (1 - p) * 4294967296;
  if (p < 1) for (let i = 0; i < keep.length; i++) keep[i] = +(g.nextUint32() < threshold);
  const scale = p < 1 ? (x.dtype === "float32" ? Math.fround(1 / (1 - p)) : 1 / (1 - p)) : 0;
  const f = customVjp<null>(
    (t: Tensor) => ({ output: masked(t, keep, scale), saved: null }),
    (_, gOut) => [masked(gOut, keep, scale)], // d dropout = mask/(1 − p)·dx
    "dropout",
  );
  return f(x);
}
