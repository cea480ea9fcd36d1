import { linearReluDropout, residualLayerNorm, type Dropout, type LayerNorm, type Linear } from "@heed/nn";
import { checkOptions, gelu, type Generator, type OptionKeys, type Tensor } from "@heed/tensor-core";

/** Options shared by `TransformerEncoderLayer` and `TransformerDecoderLayer` (torch's, in camelCase). */
export interface TransformerLayerOptions {
  /** E: model width. */
  dModel: number;
  /** H: heads; dModel must be divisible by nhead. */
  nhead: number;
  /** Hidden width of the feed-forward block (default 2048). */
  dimFeedforward?: number;
  /** Dropout on the attention weights, inside the feed-forward block and on each sublayer output (default 0.1). */
  dropout?: number;
  /** Feed-forward activation (default "relu"; "gelu" is the exact erf GELU). */
  activation?: "relu" | "gelu";
  /** LayerNorm epsilon (default 1e-5). */
  layerNormEps?: number;
  /** Pre-norm (x + f(norm(x))) instead of post-norm (norm(x + f(x))) (default false). */
  normFirst?: boolean;
  /** Biases in the linear layers and the LayerNorms (default true). */
  bias?: boolean;
  /** Generator for the initial weights and dropout (default: @heed/nn's default generator). */
  rng?: Generator;
  /** Parameter dtype (default "float32"; "float64" for gradient checks). */
  dtype?: "float32" | "float64";
  /**
   * Layout of batched inputs and outputs: true (Heed's default) [B, L, E]; false [L, B, E],
   * PyTorch's default (`batch_first=False`). Masks do not depend on it (key padding [B, S]).
   */
  batchFirst?: boolean;
}

export const LAYER_KEYS: OptionKeys<TransformerLayerOptions> = {
  dModel: true, nhead: true, dimFeedforward: true, dropout: true, activation: true, layerNormEps: true, normFirst: true, bias: true, rng: true, dtype: true, batchFirst: true,
};

export type ResolvedLayerOptions = Required<Omit<TransformerLayerOptions, "rng">> & { rng: Generator | undefined };

export function resolveLayerOptions(fn: string, options: TransformerLayerOptions): ResolvedLayerOptions {
  const o = checkOptions(fn, options, LAYER_KEYS);
  const defaults = { dimFeedforward: 2048, dropout: 0.1, activation: "relu" as const, layerNormEps: 1e-5, normFirst: false, bias: true, dtype: "float32" as const, batchFirst: true };
  const r = { ...defaults, ...o, rng: o.rng };
  if (r.activation !== "relu" && r.activation !== "gelu") throw new Error(`${fn}: activation must be 'relu' or 'gelu', got '${String(r.activation)}'`);
  for (const [name, n] of [["dModel", r.dModel], ["nhead", r.nhead], ["dimFeedforward", r.dimFeedforward]] as const) {
    if (!Number.isInteger(n) || n <= 0) throw new Error(`${fn}: ${name} must be a positive integer, got ${n} (dModel=${r.dModel}, nhead=${r.nhead})`);
  }
  if (r.dModel % r.nhead !== 0) throw new Error(`${fn}: dModel ${r.dModel} is not divisible by nhead ${r.nhead}`);
  return r;
}

/**
 * The position-wise feed-forward block: linear2(dropout(act(linear1(x)))). The layers apply
 * their own `dropout2` (encoder) or `dropout3` (decoder) to its output, as PyTorch's `_ff_block` does.
 * With relu the first half is nn's fused `linearReluDropout` (the same bits and dropout mask as
 * the three modules' forwards; one [.., ff] array instead of three).
 */
export function feedForward(x: Tensor, linear1: Linear, linear2: Linear, dropout: Dropout, activation: "relu" | "gelu"): Tensor {
  if (activation === "relu") return linear2.forward(linearReluDropout(x, linear1.weight, linear1.bias, dropout.p, dropout.training, dropout.rng));
  return linear2.forward(dropout.forward(gelu(linear1.forward(x))));
}

/**
 * The post-norm residual connection norm(x + dropout(sublayer)) as nn's fused
 * `residualLayerNorm`: the same bits and dropout mask as the two modules' forwards (one node;
 * on wasm one copy in and out instead of three ops' worth).
 */
export function addNorm(x: Tensor, sublayer: Tensor, norm: LayerNorm, dropout: Dropout): Tensor {
  return residualLayerNorm(x, sublayer, norm.normalizedShape, norm.weight, norm.bias, norm.eps, dropout.p, dropout.training, dropout.rng);
}
