import { checkOptions, describeValue, formatShape, Tensor } from "@heed/tensor-core";

/**
 * Rescale gradients in place so that their joint norm is at most `maxNorm`
 * (torch.nn.utils.clip_grad_norm_): total = ‖(‖g₁‖, ‖g₂‖, …)‖ₚ over parameters that have a
 * gradient, every gradient is multiplied by min(1, maxNorm / (total + 1e-6)), and the total
 * norm (before clipping) is returned. `normType` may be any p > 0 or Infinity (max |g|).
 *
 * @example
 * loss.backward();
 * const norm = clipGradNorm(model.parameters(), 1.0);
 * opt.step();
 */
export function clipGradNorm(params: Iterable<Tensor> | Tensor, maxNorm: number, normType = 2, options?: { errorIfNonfinite?: boolean }): number {
  const { errorIfNonfinite = false } = checkOptions("clipGradNorm", options, { errorIfNonfinite: true });
  if (typeof maxNorm !== "number" || !(maxNorm >= 0)) {
    throw new Error(`clipGradNorm: maxNorm must be a number >= 0 (a negative one would flip the gradients' sign, NaN make them NaN), got ${describeValue(maxNorm)}`);
  }
  if (!(normType > 0)) throw new Error(`clipGradNorm: normType must be > 0 or Infinity, got ${normType}`);
  const list = paramList("clipGradNorm", params);
  const grads = list.flatMap((p) => (p.grad === null ? [] : [p.grad]));
  if (grads.length === 0) return 0;
  let total = 0;
  for (const g of grads) {
    const d = g.data;
    if (normType === Infinity) {
      for (let i = 0; i < d.length; i++) total = Math.max(total, Math.abs(d[i]!));
    } else if (normType === 2) {
      for (let i = 0; i < d.length; i++) total += d[i]! * d[i]!;
    } else {
      for (let i = 0; i < d.length; i++) total += Math.abs(d[i]!) ** normType;
    }
    for (let i = 0; i < d.length && Number.isFinite(total); i++) if (Number.isNaN(d[i])) total = NaN;
  }
  if (normType !== Infinity) total = normType === 2 ? Math.sqrt(total) : total ** (1 / normType);
  if (errorIfNonfinite && !Number.isFinite(total)) {
    throw new Error(`clipGradNorm: the total norm of order ${normType} of the gradients (${grads.map((g) => formatShape(g.shape)).join(", ")}) is non-finite (${total})`);
  }
  const coef = Math.min(maxNorm / (total + 1e-6), 1);
  for (const g of grads) {
    const d = g.data;
    for (let i = 0; i < d.length; i++) d[i] = d[i]! * coef;
  }
  return total;
}

/** `params` as a list: one tensor or an iterable of tensors (a Module is told to pass model.parameters()). */
function paramList(fn: string, params: unknown): Tensor[] {
  if (params instanceof Tensor) return [params];
  const iterable = typeof params === "object" && params !== null && typeof (params as Partial<Iterable<unknown>>)[Symbol.iterator] === "function";
  const list = iterable ? [...(params as Iterable<unknown>)] : null;
  const bad = list === null ? -1 : list.findIndex((p) => !(p instanceof Tensor));
  if (list === null || bad >= 0) {
    const hint = typeof (params as { parameters?: unknown } | null)?.parameters === "function" ? " — did you mean model.parameters()?" : "";
    const got = list === null ? describeValue(params) : `${describeValue(list[bad])} at entry ${bad}`;
    throw new Error(`${fn}: expected 'params' as a tensor or a list of tensors, got ${got}${hint}`);
  }
  return list as Tensor[];
}
