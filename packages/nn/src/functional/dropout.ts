import { customVjp } from "@heed/autograd";
import { formatShape, Tensor, type Generator } from "@heed/tensor-core";
import { resolveGenerator } from "../random.js";

// src·keep·scale, one module-level function per dtype: V8 keeps type feedback per function,
// and a loop that has seen both Float32Array and Float64Array runs ~2× slower. Branch-free
// (a select on random bits mispredicts); x·0 keeps −0 and NaN, as mul does.
function masked32(s: Float32Array, keep: Uint8Array, scale: number): Float32Array {
  const out = new Float32Array(keep.length);
  for (let i = 0; i < out.length; i++) out[i] = s[i]! * (keep[i]! * scale);
  return out;
}
function masked64(s: Float64Array, keep: Uint8Array, scale: number): Float64Array {
  const out = new Float64Array(keep.length);
  for (let i = 0; i < out.length; i++) out[i] = s[i]! * (keep[i]! * scale);
  return out;
}
function masked(src: Tensor, keep: Uint8Array, scale: number): Tensor {
  const out = src.data instanceof Float32Array ? masked32(src.data, keep, scale) : masked64(src.data as Float64Array, keep, scale);
  return new Tensor(out, src.shape, src.dtype);
}

/** Random bits are drawn in blocks of this many into one reused buffer (no [n] uint32 temporary). */
const BLOCK = 4096;
const bits = new Uint32Array(BLOCK);

/** keep[i] = 1 iff the i-th 32-bit draw u < (1 − p)·2³² (P = 1 − p up to 2⁻³²). */
function keepMask(n: number, p: number, g: Generator): Uint8Array {
  const keep = new Uint8Array(n);
  if (p >= 1) return keep;
  const threshold = (1 - p) * 4294967296;
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const m = Math.min(BLOCK, n - i0);
    g.fillUint32(m === BLOCK ? bits : bits.subarray(0, m));
    for (let i = 0; i < m; i++) keep[i0 + i] = +(bits[i]! < threshold);
  }
  return keep;
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
  const keep = keepMask(x.size, p, resolveGenerator(rng));
  const scale = p < 1 ? (x.dtype === "float32" ? Math.fround(1 / (1 - p)) : 1 / (1 - p)) : 0;
  const f = customVjp<null>(
    (t: Tensor) => ({ output: masked(t, keep, scale), saved: null }),
    (_, gOut) => [masked(gOut, keep, scale)], // d dropout = mask/(1 − p)·dx
    "dropout",
  );
  return f(x);
}
