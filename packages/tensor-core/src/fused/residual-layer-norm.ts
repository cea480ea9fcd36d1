/**
 * The post-norm residual block's tail, y = layerNorm(x + dropout(s)), as one fused kernel each
 * way (a Transformer layer's `norm(x + dropout(sublayer(x)))`): forward returns y and the sum
 * h = x + dropout(s) (what layer norm's backward needs); backward returns dh (the residual's
 * gradient) and dropout(dh) (the sublayer's: the same counter-based mask from the seed). The
 * reference composes the `dropout`, add and `layerNorm*` reference kernels, so it has exactly
 * their bits; a backend composes its own kernels in its memory (no copies in between).
 */
import { dropoutReference } from "./dropout.js";
import { allocLike, type FloatArray } from "./float-array.js";
import { layerNormBackwardReference, layerNormForwardReference } from "./layer-norm.js";

export interface ResidualLayerNormArgs<A extends FloatArray = FloatArray> {
  /** [rows, D] the residual stream. */
  readonly x: A;
  /** [rows, D] the sublayer's output, dropped out with (p, seed) before the add. */
  readonly sublayer: A;
  readonly D: number;
  readonly weight: A | null;
  readonly bias: A | null;
  readonly eps: number;
  /** Dropout probability in [0, 1) (0: no dropout) and its 32-bit seed (the `dropout` kernel's). */
  readonly p: number;
  readonly seed: number;
}

export interface ResidualLayerNormForwardResult<A extends FloatArray = FloatArray> {
  readonly out: A;
  /** h = x + dropout(s), saved for backward. */
  readonly sum: A;
  /** Per-row mean and 1/√(σ² + eps) of h. */
  readonly mean: FloatArray;
  readonly rstd: FloatArray;
}

export interface ResidualLayerNormBackwardArgs<A extends FloatArray = FloatArray> {
  readonly sum: A;
  readonly D: number;
  readonly weight: A | null;
  readonly mean: FloatArray;
  readonly rstd: FloatArray;
  readonly gradOut: A;
  readonly p: number;
  readonly seed: number;
}

export interface ResidualLayerNormBackwardResult<A extends FloatArray = FloatArray> {
  /** dL/dx = dL/dh. */
  readonly dx: A;
  /** dL/ds = dropout(dL/dh) with the forward's mask. */
  readonly dsublayer: A;
  readonly dweight: A | null;
  readonly dbias: A;
}

export type ResidualLayerNormForwardKernel = <A extends FloatArray>(args: ResidualLayerNormArgs<A>) => ResidualLayerNormForwardResult<A>;
export type ResidualLayerNormBackwardKernel = <A extends FloatArray>(args: ResidualLayerNormBackwardArgs<A>) => ResidualLayerNormBackwardResult<A>;

export const residualLayerNormForwardReference: ResidualLayerNormForwardKernel = ({ x, sublayer, D, weight, bias, eps, p, seed }) => {
  const dropped = p > 0 ? dropoutReference({ x: sublayer, p, seed }) : sublayer;
  const sum = allocLike(x, x.length);
  for (let i = 0; i < x.length; i++) sum[i] = x[i]! + dropped[i]!;
  const { out, mean, rstd } = layerNormForwardReference({ x: sum, D, weight, bias, eps });
  return { out, sum, mean, rstd };
};

export const residualLayerNormBackwardReference: ResidualLayerNormBackwardKernel = ({ sum, D, weight, mean, rstd, gradOut, p, seed }) => {
  const { dx, dweight, dbias } = layerNormBackwardReference({ x: sum, D, weight, mean, rstd, gradOut });
  return { dx, dsublayer: p > 0 ? dropoutReference({ x: dx, p, seed }) : dx, dweight, dbias };
};
