/**
 * Numerically stable softmax and logSoftmax along one axis, on the [outer, R, inner] view.
 *
 *   softmax(x)_i    = exp(x_i - m) / Σ_j exp(x_j - m)            m = max_j x_j
 *   logSoftmax(x)_i = x_i - m - log Σ_j exp(x_j - m)
 *
 * Subtracting the row max keeps exp() in range (finite for ±1e4), and -Infinity entries
 * give exactly 0 (softmax) / -Infinity (logSoftmax). A row that is ALL -Infinity has
 * m = -Infinity and x - m = NaN, so the whole row is NaN, as in PyTorch (there is no
 * distribution over an empty support). A NaN or +Infinity in a row also gives NaN.
 * Exponentials and sums are computed in float64; int/bool inputs give float32.
 */
import { allocate, isFloat } from "../../dtype.js";
import { Tensor } from "../../tensor.js";
import type { OpAttrs } from "../../registry.js";
import type { KernelTable } from "../backend.js";
import { reduceLayout } from "./reduce-layout.js";

function softmaxLike(log: boolean): (inputs: readonly Tensor[], attrs: OpAttrs["softmax"]) => Tensor {
  return ([x], { axis }) => {
    const t = x!;
    const dtype = isFloat(t.dtype) ? t.dtype : "float32";
    const o = allocate(dtype, t.size);
    const out = new Tensor(o, t.shape, dtype);
    if (t.rank === 0) {
      const v = t.data[0]!;
      o[0] = v !== v || v === Infinity || v === -Infinity ? NaN : log ? 0 : 1;
      return out;
    }
    const { data, outer, R, inner } = reduceLayout(t, [axis], true);
    if (inner === 1) {
      const row = new Float64Array(R);
      for (let i = 0; i < outer; i++) {
        const base = i * R;
        let m = -Infinity;
        for (let r = 0; r < R; r++) {
          const v = data[base + r]!;
          if (v > m || v !== v) m = v;
        }
        let s = 0;
        if (log) {
          for (let r = 0; r < R; r++) s += Math.exp(data[base + r]! - m);
          const logS = Math.log(s);
          for (let r = 0; r < R; r++) o[base + r] = data[base + r]! - m - logS;
        } else {
          // One exp per element: keep exp(x - m) in a float64 row buffer, then scale.
          for (let r = 0; r < R; r++) s += row[r] = Math.exp(data[base + r]! - m);
          const inv = 1 / s;
          for (let r = 0; r < R; r++) o[base + r] = row[r]! * inv;
        }
      }
      return out;
    }
    const mx = new Float64Array(inner);
    const sm = new Float64Array(inner);
    for (let i = 0; i < outer; i++) {
      const base = i * R * inner;
      mx.fill(-Infinity);
      sm.fill(0);
      for (let r = 0; r < R; r++) {
        for (let j = 0; j < inner; j++) {
          const v = data[base + r * inner + j]!;
          if (v > mx[j]! || v !== v) mx[j] = v;
        }
      }
      for (let r = 0; r < R; r++) {
        for (let j = 0; j < inner; j++) sm[j]! += Math.exp(data[base + r * inner + j]! - mx[j]!);
      }
      for (let j = 0; j < inner; j++) sm[j] = log ? Math.log(sm[j]!) : 1 / sm[j]!;
      for (let r = 0; r < R; r++) {
        for (let j = 0; j < inner; j++) {
          const k = base + r * inner + j;
          const v = data[k]!;
          o[k] = log ? v - mx[j]! - sm[j]! : Math.exp(v - mx[j]!) * sm[j]!;
        }
      }
    }
    return out;
  };
}

export const softmaxKernels: Pick<KernelTable, "softmax" | "logSoftmax"> = {
  softmax: softmaxLike(false),
  logSoftmax: softmaxLike(true),
};
