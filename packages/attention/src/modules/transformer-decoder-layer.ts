import { Dropout, LayerNorm, Linear, Module } from "@heed/nn";
import { add, checkOptions, type OptionKeys, type Tensor } from "@heed/tensor-core";
import type { MaskedOutBoolMask } from "../functional/types.js";
import type { KeyValueCache } from "./kv-cache.js";
import { MultiHeadAttention } from "./multi-head-attention.js";
import { addNorm, feedForward, resolveLayerOptions, type TransformerLayerOptions } from "./transformer-common.js";

/** Masks use torch.nn.MultiheadAttention's convention: bool **TRUE = MASKED OUT**, float added. */
export interface DecoderLayerForwardOptions {
  /** [L, L] or [B·H, L, L] on the self-attention (e.g. `generateSquareSubsequentMask(L)`). */
  tgtMask?: MaskedOutBoolMask | null;
  /** [L, S] or [B·H, L, S] on the cross-attention. */
  memoryMask?: MaskedOutBoolMask | null;
  /** [B, L]: TRUE marks padded target positions. */
  tgtKeyPaddingMask?: MaskedOutBoolMask | null;
  /** [B, S]: TRUE marks padded memory positions. */
  memoryKeyPaddingMask?: MaskedOutBoolMask | null;
  /** Causal self-attention (Heed builds the mask when tgtMask is absent). */
  tgtIsCausal?: boolean;
  /** Causal cross-attention (rarely wanted). */
  memoryIsCausal?: boolean;
  /**
   * Incremental decoding: the self-attention's keys/values of earlier positions ("append") and
   * the cross-attention's projected memory ("static"), see `createDecoderLayerCache`. tgt then
   * holds only the new positions; masks on the self-attention cover all cached + new keys.
   */
  cache?: DecoderLayerCache | null;
  /** Called with each attention block's per-head weights [B, H, L, S] (self, then cross); slower (no fused path). */
  onAttentionWeights?: ((kind: "self" | "cross", weights: Tensor) => void) | null;
}

/** A decoder layer's `KeyValueCache`s: self-attention ("append") and cross-attention ("static"). */
export interface DecoderLayerCache {
  readonly self: KeyValueCache;
  readonly cross: KeyValueCache;
}

/** An empty cache for `TransformerDecoderLayer.forward(…, { cache })`. */
export function createDecoderLayerCache(): DecoderLayerCache {
  return { self: { mode: "append", key: null, value: null }, cross: { mode: "static", key: null, value: null } };
}

export const DECODER_FORWARD_KEYS: OptionKeys<DecoderLayerForwardOptions> = {
  tgtMask: true, memoryMask: true, tgtKeyPaddingMask: true, memoryKeyPaddingMask: true, tgtIsCausal: true, memoryIsCausal: true, cache: true, onAttentionWeights: true,
};

/**
 * torch.nn.TransformerDecoderLayer (batch_first=True): self-attention, cross-attention over the
 * encoder output (memory) and a feed-forward block, each with dropout, residual and LayerNorm.
 * tgt [B, L, E], memory [B, S, E] → [B, L, E]; with `batchFirst: false` (PyTorch's default)
 * tgt [L, B, E], memory [S, B, E] → [L, B, E]. Parameter names: self_attn.*, multihead_attn.*,
 * linear1.*, linear2.*, norm1.*, norm2.*, norm3.*. Vaswani et al., 2017, §3.1.
 *
 * @example
 * const layer = new TransformerDecoderLayer({ dModel: 16, nhead: 4, dimFeedforward: 32, rng: new Generator(0) });
 * const y = layer.forward(randn([2, 5, 16], new Generator(1)), randn([2, 7, 16], new Generator(2)), { tgtIsCausal: true });
 */
export class TransformerDecoderLayer extends Module {
  static override readonly typeName: string = "TransformerDecoderLayer";
  readonly selfAttn: MultiHeadAttention;
  readonly multiheadAttn: MultiHeadAttention;
  readonly linear1: Linear;
  readonly dropout: Dropout;
  readonly linear2: Linear;
  readonly norm1: LayerNorm;
  readonly norm2: LayerNorm;
  readonly norm3: LayerNorm;
  readonly dropout1: Dropout;
  readonly dropout2: Dropout;
  readonly dropout3: Dropout;
  readonly normFirst: boolean;
  readonly activation: "relu" | "gelu";
  readonly batchFirst: boolean;

  constructor(options: TransformerLayerOptions) {
    super();
    const o = resolveLayerOptions("TransformerDecoderLayer", options);
    const { dModel: E, bias, rng, dtype, batchFirst } = o;
    const mha = (): MultiHeadAttention => new MultiHeadAttention({ embedDim: E, numHeads: o.nhead, dropout: o.dropout, bias, rng, dtype, batchFirst });
    this.selfAttn = this.registerModule("self_attn", mha());
    this.multiheadAttn = this.registerModule("multihead_attn", mha());
    this.linear1 = this.registerModule("linear1", new Linear(E, o.dimFeedforward, { bias, rng, dtype }));
    this.dropout = this.registerModule("dropout", new Dropout(o.dropout, { rng }));
    this.linear2 = this.registerModule("linear2", new Linear(o.dimFeedforward, E, { bias, rng, dtype }));
    this.norm1 = this.registerModule("norm1", new LayerNorm(E, { eps: o.layerNormEps, bias, dtype }));
    this.norm2 = this.registerModule("norm2", new LayerNorm(E, { eps: o.layerNormEps, bias, dtype }));
    this.norm3 = this.registerModule("norm3", new LayerNorm(E, { eps: o.layerNormEps, bias, dtype }));
    this.dropout1 = this.registerModule("dropout1", new Dropout(o.dropout, { rng }));
    this.dropout2 = this.registerModule("dropout2", new Dropout(o.dropout, { rng }));
    this.dropout3 = this.registerModule("dropout3", new Dropout(o.dropout, { rng }));
    this.normFirst = o.normFirst;
    this.activation = o.activation;
    this.batchFirst = batchFirst;
  }

  /** tgt [B, L, E], memory [B, S, E] → [B, L, E] ([L, B, E] and [S, B, E] with batchFirst false). */
  override forward(tgt: Tensor, memory: Tensor, options?: DecoderLayerForwardOptions): Tensor {
    options = checkOptions("TransformerDecoderLayer.forward", options, DECODER_FORWARD_KEYS);
    const hook = options.onAttentionWeights ?? null;
    const weights = { needWeights: hook !== null, averageAttnWeights: false };
    const sa = (x: Tensor): Tensor => {
      const { output, weights: w } = this.selfAttn.forward(x, x, x, {
        attnMask: options.tgtMask ?? null, keyPaddingMask: options.tgtKeyPaddingMask ?? null, isCausal: options.tgtIsCausal ?? false, cache: options.cache?.self ?? null, ...weights,
      });
      if (hook !== null) hook("self", w!);
      return output;
    };
    const ca = (x: Tensor): Tensor => {
      const { output, weights: w } = this.multiheadAttn.forward(x, memory, memory, {
        attnMask: options.memoryMask ?? null, keyPaddingMask: options.memoryKeyPaddingMask ?? null, isCausal: options.memoryIsCausal ?? false, cache: options.cache?.cross ?? null, ...weights,
      });
      if (hook !== null) hook("cross", w!);
      return output;
    };
    const ff = (x: Tensor): Tensor => feedForward(x, this.linear1, this.linear2, this.dropout, this.activation);
    if (this.normFirst) {
      let x = add(tgt, this.dropout1.forward(sa(this.norm1.forward(tgt))));
      x = add(x, this.dropout2.forward(ca(this.norm2.forward(x))));
      return add(x, this.dropout3.forward(ff(this.norm3.forward(x))));
    }
    let x = addNorm(tgt, sa(tgt), this.norm1, this.dropout1);
    x = addNorm(x, ca(x), this.norm2, this.dropout2);
    return addNorm(x, ff(x), this.norm3, this.dropout3);
  }
}
