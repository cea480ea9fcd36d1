import { broadcastShapes, cast, formatShape, isFloat, type Tensor } from "@heed/tensor-core";
import { getDefaultGenerator } from "@heed/nn";
import type { AttentionOptions } from "./types.js";

/** Validated, normalised attention arguments shared by both implementations. */
export interface AttentionSpec {
  readonly fn: string;
  /** The broadcast leading dims of q, k and v. */
  readonly batchShape: readonly number[];
  readonly L: number;
  readonly S: number;
  readonly E: number;
  readonly Ev: number;
  readonly scale: number;
  /** bool (TRUE = takes part) or float in q's dtype; broadcastable to [...batchShape, L, S]. */
  readonly mask: Tensor | null;
  readonly causal: boolean;
  readonly dropoutP: number;
  /** Seed of the counter-based dropout mask (drawn from the generator once per call). */
  readonly dropoutSeed: number;
}

const shapes = (q: Tensor, k: Tensor, v: Tensor): string =>
  `(query: ${formatShape(q.shape)}, key: ${formatShape(k.shape)}, value: ${formatShape(v.shape)})`;

/** Check q [..., L, E], k [..., S, E], v [..., S, Ev] and the options; errors name `fn`, the argument and the shapes. */
export function validateAttention(fn: string, q: Tensor, k: Tensor, v: Tensor, opts: AttentionOptions, defaultScale: number | null): AttentionSpec {
  for (const [name, t] of [["query", q], ["key", k], ["value", v]] as const) {
    if (t.rank < 2) throw new Error(`${fn}: ${name} must have at least 2 dimensions [..., ${name === "query" ? "L" : "S"}, E], got shape ${formatShape(t.shape)}`);
    if (!isFloat(t.dtype)) throw new Error(`${fn}: ${name} must be float32 or float64, got dtype '${t.dtype}' ${shapes(q, k, v)}`);
  }
  if (q.dtype !== k.dtype || q.dtype !== v.dtype) {
    throw new Error(`${fn}: query, key and value must have the same dtype, got ${q.dtype}, ${k.dtype}, ${v.dtype} ${shapes(q, k, v)}`);
  }
  const [L, E] = q.shape.slice(-2) as [number, number];
  const [S, Ek] = k.shape.slice(-2) as [number, number];
  const [Sv, Ev] = v.shape.slice(-2) as [number, number];
  if (E !== Ek) throw new Error(`${fn}: query width E=${E} and key width E=${Ek} differ ${shapes(q, k, v)}`);
  if (S !== Sv) throw new Error(`${fn}: key length S=${S} and value length S=${Sv} differ ${shapes(q, k, v)}`);
  let batchShape: number[];
  try {
    batchShape = broadcastShapes(fn, broadcastShapes(fn, q.shape.slice(0, -2), k.shape.slice(0, -2)), v.shape.slice(0, -2));
  } catch {
    throw new Error(`${fn}: the leading (batch) dims of query, key and value cannot be broadcast together ${shapes(q, k, v)}`);
  }
  const { attnMask = null, isCausal = false, dropoutP = 0 } = opts;
  if (isCausal && attnMask !== null) {
    throw new Error(`${fn}: isCausal and attnMask cannot both be set (as in PyTorch); put the causal pattern into attnMask ${formatShape(attnMask.shape)} instead`);
  }
  if (!(dropoutP >= 0 && dropoutP <= 1)) throw new Error(`${fn}: dropoutP must be in [0, 1], got ${dropoutP}`);
  const scale = opts.scale ?? defaultScale ?? 1 / Math.sqrt(E);
  if (!Number.isFinite(scale)) throw new Error(`${fn}: scale must be a finite number, got ${scale} (E=${E})`);
  const mask = attnMask === null ? null : checkMask(fn, attnMask, [...batchShape, L, S], q);
  const dropoutSeed = dropoutP > 0 ? (opts.rng ?? getDefaultGenerator()).nextUint32() : 0;
  return { fn, batchShape, L, S, E, Ev, scale, mask, causal: isCausal, dropoutP, dropoutSeed };
}

/** The mask must be bool or float and broadcast to the weights' shape [..., L, S] without enlarging it. */
function checkMask(fn: string, mask: Tensor, target: readonly number[], q: Tensor): Tensor {
  if (mask.dtype !== "bool" && !isFloat(mask.dtype)) {
    throw new Error(`${fn}: attnMask must be bool (TRUE = takes part) or float (added to the scores), got dtype '${mask.dtype}' with shape ${formatShape(mask.shape)}`);
  }
  const fits = mask.rank <= target.length && mask.shape.every((d, i) => d === 1 || d === target[target.length - mask.rank + i]);
  if (!fits) {
    throw new Error(`${fn}: attnMask of shape ${formatShape(mask.shape)} cannot be broadcast to the attention weights' shape [..., L, S] = ${formatShape(target)}`);
  }
  return mask.dtype === "bool" || mask.dtype === q.dtype ? mask : cast(mask, q.dtype);
}
