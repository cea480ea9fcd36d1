/**
 * Reference reduction kernels. Each views its input as [outer, R, inner] (see
 * reduce-layout.ts) and walks it once: the last-axis case (inner = 1) is a plain loop
 * over each row; otherwise a row of `inner` accumulators is updated R times, which keeps
 * the reads contiguous. Sums accumulate in float64 (JS numbers).
 */
import type { DType } from "../../dtype.js";
import type { Tensor } from "../../tensor.js";
import type { OpAttrs } from "../../registry.js";
import type { KernelTable } from "../backend.js";
import { reduceLayout, reduceOutput } from "./reduce-layout.js";
import { softmaxKernels } from "./reduce-softmax.js";

/** sum keeps float and int32 dtypes; bool sums count, giving int32 (torch gives int64). */
function sumDtype(dtype: DType): DType {
  return dtype === "bool" ? "int32" : dtype;
}

const sum: KernelTable["sum"] = ([x], { axes, keepDims }) => {
  const L = reduceLayout(x!, axes, keepDims);
  const out = reduceOutput(x!, L, sumDtype(x!.dtype));
  const { data, outer, R, inner } = L;
  const o = out.data;
  if (inner === 1) {
    for (let i = 0; i < outer; i++) {
      const base = i * R;
      let s = 0;
      for (let r = 0; r < R; r++) s += data[base + r]!;
      o[i] = s;
    }
    return out;
  }
  const acc = new Float64Array(inner);
  for (let i = 0; i < outer; i++) {
    acc.fill(0);
    for (let r = 0; r < R; r++) {
      const base = (i * R + r) * inner;
      for (let j = 0; j < inner; j++) acc[j]! += data[base + j]!;
    }
    o.set(acc, i * inner);
  }
  return out;
};

/**
 * max / min values (torch.amax / amin): NaN propagates (a NaN anywhere in the reduced
 * set gives NaN). `sign` = 1 for max, -1 for min; R = 0 is rejected by the public op.
 * With inner > 1, a row of running extrema is updated R times (contiguous reads).
 */
function extremum(sign: 1 | -1): (inputs: readonly Tensor[], attrs: OpAttrs["max"]) => Tensor {
  return ([x], { axes, keepDims }) => {
    const L = reduceLayout(x!, axes, keepDims);
    const out = reduceOutput(x!, L);
    const { data, outer, R, inner } = L;
    const o = out.data;
    if (inner === 1) {
      for (let i = 0; i < outer; i++) {
        let mi = data[i * R]!;
        for (let r = i * R + 1, end = (i + 1) * R; r < end && mi === mi; r++) {
          const v = data[r]!;
          if ((v - mi) * sign > 0 || v !== v) mi = v;
        }
        o[i] = mi;
      }
      return out;
    }
    const m = new Float64Array(inner);
    for (let i = 0; i < outer; i++) {
      const base = i * R * inner;
      for (let j = 0; j < inner; j++) m[j] = data[base + j]!;
      for (let r = 1; r < R; r++) {
        const row = base + r * inner;
        for (let j = 0; j < inner; j++) {
          const v = data[row + j]!;
          if ((v - m[j]!) * sign > 0 || v !== v) m[j] = v;
        }
      }
      o.set(m, i * inner);
    }
    return out;
  };
}

/** argmax / argmin along one axis: int32, first occurrence on ties, the first NaN wins (torch). */
function argExtremum(sign: 1 | -1): (inputs: readonly Tensor[], attrs: OpAttrs["argmax"]) => Tensor {
  return ([x], { axis, keepDims }) => {
    const L = reduceLayout(x!, [axis], keepDims);
    const out = reduceOutput(x!, L, "int32");
    const { data, outer, R, inner } = L;
    const o = out.data;
    const m = new Float64Array(inner);
    const best = new Int32Array(inner);
    for (let i = 0; i < outer; i++) {
      const base = i * R * inner;
      for (let j = 0; j < inner; j++) m[j] = data[base + j]!;
      best.fill(0);
      for (let r = 1; r < R; r++) {
        const row = base + r * inner;
        for (let j = 0; j < inner; j++) {
          const v = data[row + j]!;
          const mj = m[j]!;
          if ((v - mj) * sign > 0 || (v !== v && mj === mj)) {
            m[j] = v;
            best[j] = r;
          }
        }
      }
      o.set(best, i * inner);
    }
    return out;
  };
}

export const reduceKernels: Pick<KernelTable, "sum" | "max" | "min" | "argmax" | "argmin" | "softmax" | "logSoftmax"> = {
  sum,
  max: extremum(1),
  min: extremum(-1),
  argmax: argExtremum(1),
  argmin: argExtremum(-1),
  ...softmaxKernels,
};
