import { checkOptions, concat, expectBoolean, formatShape, mul, permute, reshape, squeeze, sum, unsqueeze, type Generator, type OptionKeys, type Tensor } from "@heed/tensor-core";
import { isGradEnabled } from "@heed/autograd";
import { getDefaultGenerator, linear } from "@heed/nn";
import { headsAttention, type HeadsOperand } from "../functional/heads-attention.js";
import { scaledDotProductAttention } from "../functional/sdpa.js";
import type { MaskedOutBoolMask } from "../functional/types.js";
import { appendPositions, cachedLength, canAppendInPlace, inPlaceRows, offsetCausalMask, type KeyValueCache } from "./kv-cache.js";
import { mergeMasks } from "./mha-masks.js";
import { mhaPath } from "./mha-path.js";
import { appendRow, rows, splitHeads } from "./mha-project.js";

/** The parameters of torch.nn.MultiheadAttention, by their PyTorch names (absent ones null). */
export interface MhaParams {
  /** [3E, E] packed q/k/v projection, when kdim = vdim = E. */
  inProjWeight: Tensor | null;
  /** [E, E], [E, kdim], [E, vdim] separate projections, when kdim or vdim differs from E. */
  qProjWeight: Tensor | null;
  kProjWeight: Tensor | null;
  vProjWeight: Tensor | null;
  /** [3E] */
  inProjBias: Tensor | null;
  /** [1, 1, E] each, with addBiasKV. */
  biasK: Tensor | null;
  biasV: Tensor | null;
  /** [E, E] and [E]. */
  outProjWeight: Tensor;
  outProjBias: Tensor | null;
}

/** torch.nn.MultiheadAttention.forward's options; masks use **TRUE = masked out**. */
export interface MhaForwardOptions {
  /** [B, S] — bool TRUE = this key is padding, ignored (masked out); float added. */
  keyPaddingMask?: MaskedOutBoolMask | null;
  /** Return the attention weights (default true). false returns weights null and may use the memory-efficient path. */
  needWeights?: boolean;
  /** [L, S] or [B·H, L, S] — bool TRUE = query i may NOT attend to key j (masked out); float added. */
  attnMask?: MaskedOutBoolMask | null;
  /** Average the weights over heads → [B, L, S] (default true); else per head [B, H, L, S]. */
  averageAttnWeights?: boolean;
  /** Causal self-attention; without attnMask Heed builds tril(ones(L, S)) (PyTorch requires attnMask here). */
  isCausal?: boolean;
  /**
   * Incremental decoding (not in PyTorch): projected keys and values kept between calls, see
   * `createKeyValueCache`. With an "append" cache holding P positions, S = P + the new keys,
   * masks cover all S keys, and isCausal lets new query i see keys j ≤ P + i.
   */
  cache?: KeyValueCache | null;
}

export interface MhaConfig {
  numHeads: number;
  addZeroAttn: boolean;
  dropoutP: number;
  rng: Generator | undefined;
}

export interface MhaOutput {
  /** [B, L, E] ([L, E] for unbatched input). */
  output: Tensor;
  /** [B, L, S] averaged or [B, H, L, S] per head (unbatched: without B); null when needWeights is false. */
  weights: Tensor | null;
}

const FN = "MultiHeadAttention.forward";
const FORWARD_KEYS: OptionKeys<MhaForwardOptions> = { keyPaddingMask: true, needWeights: true, attnMask: true, averageAttnWeights: true, isCausal: true, cache: true };
const CONFIG_KEYS: OptionKeys<MhaConfig> = { numHeads: true, addZeroAttn: true, dropoutP: true, rng: true };

/**
 * Rows `i`·E..(i+1)·E of the packed projection (or the separate weight) applied to x: q (0), k (1)
 * or v (2), [B, ·, E], heads side by side in the columns. On the split-heads path each gets its
 * own matmul, also when the weights are packed: the packed product would have to be split
 * again, and the split's backward pads and adds three full-size gradients (`packedProjections`
 * avoids both where the heads are read in place).
 */
function project(x: Tensor, i: 0 | 1 | 2, p: MhaParams): Tensor {
  const E = p.outProjWeight.shape[0]!;
  const separate = [p.qProjWeight, p.kProjWeight, p.vProjWeight][i]!;
  const weight = p.inProjWeight === null ? separate : rows(p.inProjWeight, i * E, (i + 1) * E)!;
  return linear(x, weight, rows(p.inProjBias, i * E, (i + 1) * E));
}

/**
 * q, k and v for the heads-in-place path with a packed in_proj_weight and key === value (no
 * cache): self-attention is ONE linear layer against all of in_proj_weight [3E, E] → [B, L, 3E],
 * cross-attention one for q and one for k and v together ([2E, E] rows) → [B, S, 2E]. The
 * attention kernels read the heads in place from those columns, so the product is never
 * split, and backward makes one gradient for it (one dW, one bias sum, no slice pads).
 * null when the projections are not packed.
 */
function packedProjections(qb: Tensor, kb: Tensor, vb: Tensor, p: MhaParams): [HeadsOperand, HeadsOperand, HeadsOperand] | null {
  if (p.inProjWeight === null || kb !== vb) return null;
  const E = p.outProjWeight.shape[0]!;
  const col = (tensor: Tensor, i: number): HeadsOperand => ({ tensor, column: i * E, width: E });
  if (qb === kb) {
    const qkv = linear(qb, p.inProjWeight, p.inProjBias);
    return [col(qkv, 0), col(qkv, 1), col(qkv, 2)];
  }
  const kv = linear(kb, rows(p.inProjWeight, E, 3 * E)!, rows(p.inProjBias, E, 3 * E));
  return [project(qb, 0, p), col(kv, 0), col(kv, 1)];
}

/**
 * Cached self-attention at inference on the heads-in-place path: ONE linear layer against all
 * of in_proj_weight → [B, L, 3E] (the same bits as three, one per row block), the new keys and
 * values written into the cache's in-place storage after the cached ones (`appendPositions`:
 * no concatenation of the whole cache per step), and q, k, v read in place from the projection
 * and the position-major cache. null when it does not apply: gradients recorded, separate
 * projections, key/value not the query, a cache that is not empty or already in place, float64.
 */
function appendInPlace(qb: Tensor, kb: Tensor, vb: Tensor, p: MhaParams, cache: KeyValueCache | null): [HeadsOperand, HeadsOperand, HeadsOperand] | null {
  if (cache === null || p.inProjWeight === null || qb !== kb || kb !== vb || qb.dtype !== "float32" || !canAppendInPlace(cache) || isGradEnabled()) return null;
  const E = p.outProjWeight.shape[0]!;
  const rows = inPlaceRows(cache);
  if (rows !== null && rows !== kb.shape[0]) {
    throw new Error(`${FN}: the cache holds ${rows} batch rows but key has ${kb.shape[0]} (cache key: ${formatShape([rows, cachedLength(cache), E])}, new key: ${formatShape(kb.shape)})`);
  }
  const qkv = linear(qb, p.inProjWeight, p.inProjBias);
  const kv = appendPositions(cache, qkv, E, E, E);
  return [{ tensor: qkv, column: 0, width: E }, { tensor: kv, column: 0, width: E, positionMajor: true }, { tensor: kv, column: E, width: E, positionMajor: true }];
}

/** Projected keys and values: fresh, appended to an "append" cache, or an already filled "static" cache's. */
function projectKeyValue(kb: Tensor, vb: Tensor, p: MhaParams, cache: KeyValueCache | null): [Tensor, Tensor] {
  if (cache === null) return [project(kb, 1, p), project(vb, 2, p)];
  if (cache.mode === "static" && cache.key !== null && cache.value !== null) return [cache.key, cache.value];
  let [k, v] = [project(kb, 1, p), project(vb, 2, p)];
  if (cache.key !== null && cache.value !== null) {
    if (cache.key.shape[0] !== k.shape[0]) {
      throw new Error(`${FN}: the cache holds ${cache.key.shape[0]} batch rows but key has ${k.shape[0]} (cache key: ${formatShape(cache.key.shape)}, new key: ${formatShape(kb.shape)})`);
    }
    [k, v] = [concat([cache.key, k], 1), concat([cache.value, v], 1)];
  }
  cache.key = k;
  cache.value = v;
  return [k, v];
}

/**
 * torch.nn.functional.multi_head_attention_forward with batch_first inputs: query [B, L, E],
 * key [B, S, kdim], value [B, S, vdim] (or unbatched [L, E], [S, kdim], [S, vdim]).
 */
export function multiHeadAttentionForward(query: Tensor, key: Tensor, value: Tensor, p: MhaParams, config: MhaConfig, options?: MhaForwardOptions): MhaOutput {
  const opts = checkOptions(FN, options, FORWARD_KEYS);
  const cfg = checkOptions("multiHeadAttentionForward: config", config, CONFIG_KEYS);
  const { needWeights = true, averageAttnWeights = true, isCausal = false } = opts;
  for (const [key, flag] of [["needWeights", needWeights], ["averageAttnWeights", averageAttnWeights], ["isCausal", isCausal]] as const) expectBoolean(FN, key, flag);
  const batched = query.rank === 3;
  const all = `(query: ${formatShape(query.shape)}, key: ${formatShape(key.shape)}, value: ${formatShape(value.shape)})`;
  if ((query.rank !== 2 && query.rank !== 3) || key.rank !== query.rank || value.rank !== query.rank) {
    throw new Error(`${FN}: query, key and value must all be [B, L|S, E] (batched) or all [L|S, E] (unbatched) ${all}`);
  }
  const E = p.outProjWeight.shape[0]!;
  const H = cfg.numHeads;
  if (!Number.isInteger(H) || H <= 0 || E % H !== 0) throw new Error(`${FN}: embedDim ${E} is not divisible by numHeads ${H}`);
  const kdim = (p.kProjWeight ?? p.inProjWeight!).shape[1]!;
  const vdim = (p.vProjWeight ?? p.inProjWeight!).shape[1]!;
  const width = (t: Tensor): number => t.shape[t.rank - 1]!;
  if (width(query) !== E || width(key) !== kdim || width(value) !== vdim) {
    throw new Error(`${FN}: expected query width embedDim=${E}, key width kdim=${kdim}, value width vdim=${vdim} ${all}`);
  }
  // Identity is kept (key === query) so the same tensor is not lifted twice (and self-attention
  // can be projected by one matmul, `packedProjections`).
  const lift = (t: Tensor): Tensor => (batched ? t : unsqueeze(t, 0));
  const qb = lift(query);
  const kb = key === query ? qb : lift(key);
  const vb = value === key ? kb : lift(value);
  const [B, L] = qb.shape as [number, number];
  if (kb.shape[0] !== B || vb.shape[0] !== B || vb.shape[1] !== kb.shape[1]) {
    throw new Error(`${FN}: query, key and value must share B, and key and value S ${all}`);
  }
  const cache = opts.cache ?? null;
  const P = cache?.mode === "append" ? cachedLength(cache) : 0;
  const extra = (p.biasK !== null ? 1 : 0) + (cfg.addZeroAttn ? 1 : 0);
  const inPlace = mhaPath({ needWeights, extraKeys: extra, dtype: qb.dtype }) === "headsInPlace";
  const packed = !inPlace ? null : cache === null ? packedProjections(qb, kb, vb, p) : cache.mode === "append" ? appendInPlace(qb, kb, vb, p, cache) : null;
  const projected: [Tensor, Tensor, Tensor] | null = packed === null ? [project(qb, 0, p), ...projectKeyValue(kb, vb, p, cache)] : null;
  const S = projected === null ? (cache === null ? kb.shape[1]! : P + L) : projected[1].shape[1]!;
  if (projected !== null && projected[1].shape[0] !== B) {
    throw new Error(`${FN}: the cache holds ${projected[1].shape[0]} batch rows but query has ${B} (cached key: ${formatShape(projected[1].shape)}, query: ${formatShape(qb.shape)})`);
  }
  // after P cached positions a causal query i sees keys j ≤ P + i: a mask unless it is the one newest query
  const offsetCausal = isCausal && P > 0 && (opts.attnMask ?? null) === null;
  const attnMask = offsetCausal && L > 1 ? offsetCausalMask(L, P) : (opts.attnMask ?? null);
  const causalFlag = isCausal && !offsetCausal;
  const kpm = opts.keyPaddingMask == null ? null : batched ? opts.keyPaddingMask : unsqueeze(opts.keyPaddingMask, 0);
  if (inPlace) {
    const { mask, isCausal: causal } = mergeMasks(FN, attnMask, kpm, causalFlag, { B, H, L, S, extra }, qb.dtype);
    const dropoutSeed = cfg.dropoutP > 0 ? (cfg.rng ?? getDefaultGenerator()).nextUint32() : 0;
    const spec = { H, scale: 1 / Math.sqrt(E / H), mask, causal, dropoutP: cfg.dropoutP, dropoutSeed };
    const output = linear(headsAttention(...(packed ?? projected!), spec), p.outProjWeight, p.outProjBias);
    return { output: batched ? output : squeeze(output, 0), weights: null };
  }
  const [q, k0, v0] = projected!.map((t) => splitHeads(t, 1, H)[0]!) as [Tensor, Tensor, Tensor];
  let [k, v] = [k0, v0];
  if (p.biasK !== null && p.biasV !== null) [k, v] = [appendRow(k, p.biasK), appendRow(v, p.biasV)];
  if (cfg.addZeroAttn) [k, v] = [appendRow(k, null), appendRow(v, null)];
  const { mask, isCausal: causal } = mergeMasks(FN, attnMask, kpm, causalFlag, { B, H, L, S, extra }, q.dtype);
  const sdpa = { attnMask: mask, isCausal: causal, dropoutP: cfg.dropoutP, rng: cfg.rng };
  let attended: Tensor;
  let weights: Tensor | null = null;
  if (needWeights) {
    ({ output: attended, weights } = scaledDotProductAttention(q, k, v, { ...sdpa, returnWeights: true }));
    if (averageAttnWeights) weights = mul(sum(weights, 1), 1 / H); // mean over heads
  } else {
    attended = scaledDotProductAttention(q, k, v, sdpa);
  }
  const merged = reshape(permute(attended, [0, 2, 1, 3]), [B, L, E]); // [B, H, L, D] → [B, L, E]
  const output = linear(merged, p.outProjWeight, p.outProjBias);
  return batched ? { output, weights } : { output: squeeze(output, 0), weights: weights === null ? null : squeeze(weights, 0) };
}
