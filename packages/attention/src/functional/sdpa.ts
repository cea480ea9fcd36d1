import { checkOptions, expectBoolean, sizeOf, type OptionKeys, type Tensor } from "@heed/tensor-core";
import { composedAttention } from "./composed.js";
import { memoryEfficientAttention, nativeFusedAttention } from "./memory-efficient.js";
import type { AttentionOptions, AttentionResult } from "./types.js";
import { validateAttention, type AttentionSpec } from "./validate.js";

/** "auto" switches to the memory-efficient path when one problem's L·S exceeds this (2^20)... */
export const MEMORY_EFFICIENT_THRESHOLD = 1 << 20;
/** ...or when all the weights together, B·H·L·S, exceed this (2^26 = 256 MiB of float32). */
export const MEMORY_EFFICIENT_TOTAL_THRESHOLD = 1 << 26;

const ATTENTION_KEYS: OptionKeys<AttentionOptions> = { attnMask: true, isCausal: true, scale: true, dropoutP: true, rng: true, returnWeights: true, implementation: true };

function attention(fn: string, q: Tensor, k: Tensor, v: Tensor, options: AttentionOptions | undefined, defaultScale: number | null): Tensor | AttentionResult {
  const opts = checkOptions(fn, options, ATTENTION_KEYS);
  for (const key of ["isCausal", "returnWeights"] as const) if (opts[key] !== undefined) expectBoolean(fn, key, opts[key]);
  const spec: AttentionSpec = validateAttention(fn, q, k, v, opts, defaultScale);
  const implementation = opts.implementation ?? "auto";
  if (implementation !== "auto" && implementation !== "composed" && implementation !== "memoryEfficient") {
    throw new Error(`${fn}: implementation must be 'auto', 'composed' or 'memoryEfficient', got '${String(implementation)}'`);
  }
  if (opts.returnWeights === true) {
    if (implementation === "memoryEfficient") {
      throw new Error(`${fn}: returnWeights needs the [..., L, S] = [${[...spec.batchShape, spec.L, spec.S].join(",")}] weights, which the memoryEfficient implementation never materialises; use implementation 'composed' or 'auto'`);
    }
    return composedAttention(q, k, v, spec);
  }
  const LS = spec.L * spec.S;
  const batch = sizeOf(spec.batchShape);
  const long = batch > 0 && (LS > MEMORY_EFFICIENT_THRESHOLD || batch * LS > MEMORY_EFFICIENT_TOTAL_THRESHOLD);
  // A backend's own fused kernels (wasm) beat the composed ops at every size: one pass, no [L, S] tensors.
  const efficient = implementation === "memoryEfficient" || (implementation === "auto" && (long || nativeFusedAttention(q.dtype)));
  return efficient ? memoryEfficientAttention(q, k, v, spec) : composedAttention(q, k, v, spec).output;
}

/**
 * Scaled dot-product attention with the semantics of `torch.nn.functional.scaled_dot_product_attention`:
 *   output = dropout(softmax(q·kᵀ·scale + mask)) · v
 * q [..., L, E], k [..., S, E], v [..., S, Ev] (leading dims broadcast) → [..., L, Ev].
 * `attnMask` bool: **TRUE = takes part** (the opposite of MultiHeadAttention's masks); float: added.
 * Default scale 1/√E. A row whose keys are all masked gives output 0 (and weights 0, zero
 * gradients) where PyTorch's math path gives NaN. Vaswani et al., "Attention Is All You Need", 2017.
 *
 * @example
 * const g = new Generator(0);
 * const q = randn([2, 4, 10, 16], g), k = randn([2, 4, 12, 16], g), v = randn([2, 4, 12, 8], g);
 * const out = scaledDotProductAttention(q, k, v, { isCausal: true });          // [2,4,10,8]
 * const { output, weights } = scaledDotProductAttention(q, k, v, { returnWeights: true }); // weights [2,4,10,12]
 */
export function scaledDotProductAttention(q: Tensor, k: Tensor, v: Tensor, opts: AttentionOptions & { returnWeights: true }): AttentionResult;
export function scaledDotProductAttention(q: Tensor, k: Tensor, v: Tensor, opts?: AttentionOptions & { returnWeights?: false }): Tensor;
export function scaledDotProductAttention(q: Tensor, k: Tensor, v: Tensor, opts?: AttentionOptions): Tensor | AttentionResult;
export function scaledDotProductAttention(q: Tensor, k: Tensor, v: Tensor, opts?: AttentionOptions): Tensor | AttentionResult {
  return attention("scaledDotProductAttention", q, k, v, opts, null);
}

/**
 * Plain dot-product attention: `scaledDotProductAttention` with scale 1 unless `scale` is given.
 *
 * @example
 * const g = new Generator(0);
 * const out = dotProductAttention(randn([5, 3], g), randn([7, 3], g), randn([7, 2], g));   // [5,2]
 */
export function dotProductAttention(q: Tensor, k: Tensor, v: Tensor, opts: AttentionOptions & { returnWeights: true }): AttentionResult;
export function dotProductAttention(q: Tensor, k: Tensor, v: Tensor, opts?: AttentionOptions & { returnWeights?: false }): Tensor;
export function dotProductAttention(q: Tensor, k: Tensor, v: Tensor, opts?: AttentionOptions): Tensor | AttentionResult;
export function dotProductAttention(q: Tensor, k: Tensor, v: Tensor, opts?: AttentionOptions): Tensor | AttentionResult {
  return attention("dotProductAttention", q, k, v, opts, 1);
}
