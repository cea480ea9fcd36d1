/**
 * One Adam / AdamW update of a parameter in place (torch.optim.Adam's formulas, amsgrad
 * included), as a fused kernel so a backend can run it in SIMD:
 *   x ← x·decay;  g ← ±grad + l2·x;  m ← m + (1 − β1)(g − m);  v ← β2·v + (1 − β2)·g²;
 *   v̂ ← max(vmax, v) with amsgrad;  x ← x − stepSize·m / (√v̂ / bc2Sqrt + eps)
 * with stepSize = lr / (1 − β1^t) and bc2Sqrt = √(1 − β2^t) computed by the caller.
 */
import type { FloatArray } from "./float-array.js";

export interface AdamStepArgs<A extends FloatArray = FloatArray> {
  readonly param: A;
  readonly grad: A;
  readonly m: A;
  readonly v: A;
  /** Running max of v (amsgrad), or null. */
  readonly vmax: A | null;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly stepSize: number;
  readonly bc2Sqrt: number;
  /** Decoupled weight decay factor 1 − lr·λ (AdamW), else 1. */
  readonly decay: number;
  /** L2 penalty λ added to the gradient (Adam), else 0. */
  readonly l2: number;
  readonly maximize: boolean;
}

/** Updates param, m, v (and vmax) in place. */
export type AdamStepKernel = <A extends FloatArray>(args: AdamStepArgs<A>) => void;

export const adamStepReference: AdamStepKernel = (a) => {
  const { param: x, grad, m, v, vmax, beta1: b1, beta2: b2, eps, stepSize, bc2Sqrt, decay, l2, maximize } = a;
  for (let i = 0; i < x.length; i++) {
    if (decay !== 1) x[i] = x[i]! * decay;
    let g = maximize ? -grad[i]! : grad[i]!;
    if (l2 !== 0) g += l2 * x[i]!;
    m[i] = m[i]! + (1 - b1) * (g - m[i]!);
    v[i] = b2 * v[i]! + (1 - b2) * g * g;
    let vhat = v[i]!;
    if (vmax !== null) vhat = vmax[i] = Math.max(vmax[i]!, vhat);
    x[i] = x[i]! - (stepSize * m[i]!) / (Math.sqrt(vhat) / bc2Sqrt + eps);
  }
};

/**
 * One Adam / AdamW update of many parameters with the same hyperparameters and step count
 * (a multi-tensor update, as PyTorch's `foreach` / fused Adam): the i-th parameter, gradient
 * and moments are params[i], grads[i], ms[i], vs[i] (and vmaxes[i] with amsgrad). Every
 * element gets exactly `adamStep`'s update, so a backend may run them as one call.
 */
export interface AdamStepMultiArgs<A extends FloatArray = FloatArray> extends Omit<AdamStepArgs<A>, "param" | "grad" | "m" | "v" | "vmax"> {
  readonly params: readonly A[];
  readonly grads: readonly A[];
  readonly ms: readonly A[];
  readonly vs: readonly A[];
  /** Running maxima of v (amsgrad), or null. */
  readonly vmaxes: readonly A[] | null;
}

/** Updates every params[i], ms[i], vs[i] (and vmaxes[i]) in place. */
export type AdamStepMultiKernel = <A extends FloatArray>(args: AdamStepMultiArgs<A>) => void;

/** The reference: `adamStepReference` on each parameter in turn. */
export const adamStepMultiReference: AdamStepMultiKernel = (a) => {
  const { params, grads, ms, vs, vmaxes, ...hyper } = a;
  for (let i = 0; i < params.length; i++) adamStepReference({ ...hyper, param: params[i]!, grad: grads[i]!, m: ms[i]!, v: vs[i]!, vmax: vmaxes?.[i] ?? null });
};
