import { Tensor } from "@heed/tensor-core";
import type { Replica } from "./replica.js";

/** Another replica's gradients as it wrote them: the flat vector and which parameters have one. */
export interface ReplicaGrads {
  grads: Float32Array;
  has: Uint8Array;
}

/**
 * The whole batch's gradient on replica 0's parameters: Σ_r (w_r / Σw)·g_r over the replicas in
 * rank order (replica 0's own `.grad`, then `others`), summed in float64 and stored in float32,
 * so the result depends only on the parts, never on which replica finished first. A parameter
 * without a gradient on every replica keeps none (the optimizer skips it, as with one replica).
 */
export function combineGrads(main: Replica, weights: readonly number[], others: readonly ReplicaGrads[]): void {
  const total = weights.reduce((a, b) => a + b, 0);
  const w = weights.map((x) => x / total);
  const { offsets, sizes } = main.layout;
  const acc = new Float64Array(Math.max(0, ...sizes));
  main.params.forEach((p, i) => {
    const own = p.grad === null ? null : (p.grad.data as Float32Array);
    const rest = others.flatMap((o, r) => (o.has[i] === 1 && w[r + 1]! !== 0 ? [{ g: o.grads.subarray(offsets[i], offsets[i]! + p.size), w: w[r + 1]! }] : []));
    if (own === null && rest.length === 0) return;
    const n = p.size;
    const w0 = w[0]!;
    for (let k = 0; k < n; k++) acc[k] = own === null ? 0 : w0 * own[k]!;
    for (const { g, w: wr } of rest) for (let k = 0; k < n; k++) acc[k] = acc[k]! + wr * g[k]!;
    const out = own ?? new Float32Array(n);
    for (let k = 0; k < n; k++) out[k] = acc[k]!;
    if (own === null) p.grad = new Tensor(out, p.shape, "float32");
  });
}

/** The whole batch's mean loss from the parts' mean losses: Σ_r (w_r / Σw)·loss_r (empty parts add nothing). */
export function combineLosses(weights: readonly number[], losses: readonly number[]): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let s = 0;
  weights.forEach((w, r) => {
    if (w !== 0) s += (w / total) * losses[r]!;
  });
  return s;
}
