import { add, describeValue, formatShape, mean, mul, rsqrt, sub, type Tensor } from "@heed/tensor-core";
import { fusedLayerNorm } from "./layer-norm-kernel.js";
import { tensorArg } from "../tensor-arg.js";

/** `eps` is added to the variance: negative or NaN would give NaN outputs for constant rows. */
export function checkEps(fn: string, eps: unknown): void {
  if (typeof eps !== "number" || !(eps >= 0) || !Number.isFinite(eps)) {
    throw new Error(`${fn}: eps must be a finite number >= 0, got ${describeValue(eps)}`);
  }
}

/**
 * Layer normalisation over the last `normalizedShape.length` dims (Ba et al. 2016;
 * torch.nn.functional.layer_norm): y = (x − E[x]) / √(Var[x] + eps) · weight + bias, with the
 * biased variance (divide by the number of normalised elements).
 *
 * @example
 * layerNorm(x, [E], gamma, beta).shape;   // same as x: [B, L, E]
 */
export function layerNorm(x: Tensor, normalizedShape: number | readonly number[], weight?: Tensor | null, bias?: Tensor | null, eps = 1e-5): Tensor {
  tensorArg("layerNorm", "x", x);
  checkEps("layerNorm", eps);
  const shape = typeof normalizedShape === "number" ? [normalizedShape] : [...normalizedShape];
  const k = shape.length;
  const tail = x.shape.slice(x.rank - k);
  if (k === 0 || x.rank < k || tail.some((d, i) => d !== shape[i])) {
    throw new Error(`layerNorm: normalizedShape ${formatShape(shape)} must match the last dimensions of x ${formatShape(x.shape)}`);
  }
  for (const [label, p] of [["weight", weight], ["bias", bias]] as const) {
    if (p != null && (p.rank !== k || p.shape.some((d, i) => d !== shape[i]))) {
      throw new Error(`layerNorm: ${label} shape ${formatShape(p.shape)} must equal normalizedShape ${formatShape(shape)} (x: ${formatShape(x.shape)})`);
    }
  }
  const sameDtype = [weight, bias].every((p) => p == null || p.dtype === x.dtype);
  if ((x.dtype === "float32" || x.dtype === "float64") && sameDtype) {
    return fusedLayerNorm(x, shape.reduce((a, b) => a * b, 1), weight ?? null, bias ?? null, eps);
  }
  return layerNormComposite(x, shape, weight, bias, eps);
}

/** The same layer norm composed from public ops (the oracle of the fused kernel; also used for mixed dtypes). */
export function layerNormComposite(x: Tensor, normalizedShape: readonly number[], weight?: Tensor | null, bias?: Tensor | null, eps = 1e-5): Tensor {
  const k = normalizedShape.length;
  const axes = Array.from({ length: k }, (_, i) => x.rank - k + i);
  const centered = sub(x, mean(x, axes, true));
  const variance = mean(mul(centered, centered), axes, true);
  let y = mul(centered, rsqrt(add(variance, eps)));
  if (weight != null) y = mul(y, weight);
  if (bias != null) y = add(y, bias);
  return y;
}
