/**
 * The three gradients of y = x·Wᵀ + b (x [rows, in], W [out, in], b [out]) from G = dL/dy
 * [rows, out] as one fused kernel, so a backend copies G into its memory once for all three:
 *   dx = G·W [rows, in]      dW = Gᵀ·x [out, in]      db = Σ_rows G [out]
 * Exactly the matmul and sum kernels' results (the reference calls them).
 */
import { matmulKernels } from "../backend/js/matmul.js";
import { reduceKernels } from "../backend/js/reduce.js";
import { Tensor } from "../tensor.js";
import type { FloatArray } from "./float-array.js";

export interface LinearBackwardArgs<A extends FloatArray = FloatArray> {
  /** dL/dy [rows, out]. */
  readonly gradOut: A;
  /** [rows, in]; read only for dW. */
  readonly x: A;
  /** [out, in]; read only for dx. */
  readonly weight: A;
  readonly rows: number;
  readonly inFeatures: number;
  readonly outFeatures: number;
  /** Which gradients to compute (the others are null). */
  readonly wantDx: boolean;
  readonly wantDw: boolean;
  readonly wantDb: boolean;
}

export interface LinearBackwardResult<A extends FloatArray = FloatArray> {
  readonly dx: A | null;
  readonly dw: A | null;
  readonly db: A | null;
}

/** New arrays of gradOut's type. */
export type LinearBackwardKernel = <A extends FloatArray>(args: LinearBackwardArgs<A>) => LinearBackwardResult<A>;

export const linearBackwardReference: LinearBackwardKernel = ({ gradOut, x, weight, rows, inFeatures, outFeatures, wantDx, wantDw, wantDb }) => {
  const dtype = gradOut instanceof Float64Array ? "float64" : "float32";
  const g = new Tensor(gradOut, [rows, outFeatures], dtype);
  const data = (t: Tensor): typeof gradOut => t.data as typeof gradOut;
  return {
    dx: wantDx ? data(matmulKernels.matmul([g, new Tensor(weight, [outFeatures, inFeatures], dtype)], { transA: false, transB: false })) : null,
    dw: wantDw ? data(matmulKernels.matmul([g, new Tensor(x, [rows, inFeatures], dtype)], { transA: true, transB: false })) : null,
    db: wantDb ? data(reduceKernels.sum([g], { axes: [0], keepDims: false })) : null,
  };
};
