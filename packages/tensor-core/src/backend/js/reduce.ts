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
 */
function extremum(sign: 1 | -1): (inputs: readonly Tensor[], attrs: OpAttrs["max"]) => Tensor {
  return ([x], { axes, keepDims }) => {
    const L = reduceLayout(x!, axes, keepDims);
    const out = reduceOutput(x!, L);
    const { data, outer, R, inner } = L;
    const o = out.data;
    for (let i = 0; i < outer; i++) {
      for (let j = 0; j < inner; j++) {
        const base = i * R * inner + j;
        let m = data[base]!;
        for (let r = 1; r < R; r++) {
          const v = data[base + r * inner]!;
          if ((v - m) * sign > 0 || v !== v) m = v;
          if (m !== m) break;
        }
        o[i * inner + j] = m;
      }
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
    for (let i = 0; i < outer; i++) {
      for (let j = 0; j < inner; j++) {
        const base = i * R * inner + j;
        let m = data[base]!;
        let best = 0;
        for (let r = 1; r < R && m === m; r++) {
          const v = data[base + r * inner]!;
          if ((v - m) * sign > 0 || v !== v) {
            m = v;
            best = r;
          }
        }
        o[i * inner + j] = best;
      }
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
