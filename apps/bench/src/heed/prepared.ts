import type { Prepared } from "../types.js";
import type { HeedCtx, Tensor } from "./api.js";

/** Heed float32 input from shared data (the storage is copied so no engine can alter another's input). */
export function heedInput(ctx: HeedCtx, data: Float32Array, shape: readonly number[], requiresGrad = false): Tensor {
  const TensorClass = ctx.exports.get("Tensor") as (new (data: Float32Array, shape: readonly number[]) => Tensor) | undefined;
  if (TensorClass === undefined) throw new Error("missing: Tensor");
  const t = new TensorClass(data.slice(), shape);
  if (requiresGrad) t.requiresGrad = true;
  return t;
}

export function toFloat32(t: Tensor): Float32Array {
  return t.data instanceof Float32Array ? t.data : Float32Array.from(t.data as ArrayLike<number>);
}

/** Heed computes eagerly: one iteration is one call of `compute`; its outputs are read for the check. */
export function heedPrepared(compute: () => Tensor | Tensor[]): Prepared {
  const once = (): Float32Array[] => {
    const r = compute();
    return (Array.isArray(r) ? r : [r]).map((t) => toFloat32(t).slice());
  };
  return {
    run: () => void compute(),
    check: () => Promise.resolve(once()),
  };
}

/** Heed float32 tensors by parameter name, for `loadStateDict`. */
export function heedStateDict(ctx: HeedCtx, weights: Record<string, { shape: number[]; data: Float32Array }>): Map<string, Tensor> {
  return new Map(Object.entries(weights).map(([name, w]) => [name, heedInput(ctx, w.data, w.shape)]));
}
