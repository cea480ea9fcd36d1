/**
 * y = x·Wᵀ + b for x [rows, in], W [out, in], b [out] as one fused kernel, so a backend can
 * add the bias to the product before it leaves its memory (no second [rows, out] array).
 */
import { matmulKernels } from "../backend/js/matmul.js";
import { Tensor } from "../tensor.js";
import type { FloatArray } from "./float-array.js";

export interface LinearArgs<A extends FloatArray = FloatArray> {
  readonly x: A;
  readonly weight: A;
  readonly bias: A | null;
  readonly rows: number;
  readonly inFeatures: number;
  readonly outFeatures: number;
}

/** A new [rows, out] array of x's type. */
export type LinearForwardKernel = <A extends FloatArray>(args: LinearArgs<A>) => A;

export const linearForwardReference: LinearForwardKernel = ({ x, weight, bias, rows, inFeatures, outFeatures }) => {
  const dtype = x instanceof Float64Array ? "float64" : "float32";
  const y = matmulKernels.matmul([new Tensor(x, [rows, inFeatures], dtype), new Tensor(weight, [outFeatures, inFeatures], dtype)], { transA: false, transB: true });
  const out = y.data as typeof x;
  if (bias !== null) for (let o = 0; o < out.length; o += outFeatures) for (let j = 0; j < outFeatures; j++) out[o + j]! += bias[j]!;
  return out;
};
