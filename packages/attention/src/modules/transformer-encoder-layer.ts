import { Dropout, LayerNorm, Linear, Module } from "@heed/nn";
import { add, checkOptions, type OptionKeys, type Tensor } from "@heed/tensor-core";
import type { MaskedOutBoolMask } from "../functional/types.js";
import { MultiHeadAttention } from "./multi-head-attention.js";
import { addNorm, feedForward, resolveLayerOptions, type TransformerLayerOptions } from "./transformer-common.js";

/** Masks use torch.nn.MultiheadAttention's convention: bool **TRUE = MASKED OUT**, float added. */
export interface EncoderLayerForwardOptions {
  /** [L, L] or [B·H, L, L]. */
  srcMask?: MaskedOutBoolMask | null;
  /** [B, L]: TRUE marks padding positions. */
  srcKeyPaddingMask?: MaskedOutBoolMask | null;
  /** Causal self-attention (Heed builds the mask when srcMask is absent). */
  isCausal?: boolean;
  /** Called with the self-attention's per-head weights [B, H, L, L]; slower (no fused path). */
  onAttentionWeights?: ((kind: "self", weights: Tensor) => void) | null;
}

const ENCODER_LAYER_FORWARD_KEYS: OptionKeys<EncoderLayerForwardOptions> = { srcMask: true, srcKeyPaddingMask: true, isCausal: true, onAttentionWeights: true };

/**
 * torch.nn.TransformerEncoderLayer (batch_first=True): self-attention and a feed-forward block,
 * each with dropout, a residual connection and LayerNorm (post-norm by default, pre-norm with
 * `normFirst`). src [B, L, E] → [B, L, E]; with `batchFirst: false` (PyTorch's default) [L, B, E]. Parameter names: self_attn.*, linear1.*, linear2.*,
 * norm1.*, norm2.*. For long inputs self-attention
 * runs the memory-efficient attention (no weights are requested). Vaswani et al., 2017, §3.1.
 *
 * @example
 * const layer = new TransformerEncoderLayer({ dModel: 16, nhead: 4, dimFeedforward: 32, rng: new Generator(0) });
 * const y = layer.forward(randn([2, 7, 16], new Generator(1)));   // [2,7,16]
 */
export class TransformerEncoderLayer extends Module {
  static override readonly typeName: string = "TransformerEncoderLayer";
  readonly selfAttn: MultiHeadAttention;
  readonly linear1: Linear;
  readonly dropout: Dropout;
  readonly linear2: Linear;
  readonly norm1: LayerNorm;
  readonly norm2: LayerNorm;
  readonly dropout1: Dropout;
  readonly dropout2: Dropout;
  readonly normFirst: boolean;
  readonly activation: "relu" | "gelu";
  readonly batchFirst: boolean;

  constructor(options: TransformerLayerOptions) {
    super();
    const o = resolveLayerOptions("TransformerEncoderLayer", options);
    const { dModel: E, bias, rng, dtype, batchFirst } = o;
    this.selfAttn = this.registerModule("self_attn", new MultiHeadAttention({ embedDim: E, numHeads: o.nhead, dropout: o.dropout, bias, rng, dtype, batchFirst }));
    this.linear1 = this.registerModule("linear1", new Linear(E, o.dimFeedforward, { bias, rng, dtype }));
    this.dropout = this.registerModule("dropout", new Dropout(o.dropout, { rng }));
    this.linear2 = this.registerModule("linear2", new Linear(o.dimFeedforward, E, { bias, rng, dtype }));
    this.norm1 = this.registerModule("norm1", new LayerNorm(E, { eps: o.layerNormEps, bias, dtype }));
    this.norm2 = this.registerModule("norm2", new LayerNorm(E, { eps: o.layerNormEps, bias, dtype }));
    this.dropout1 = this.registerModule("dropout1", new Dropout(o.dropout, { rng }));
    this.dropout2 = this.registerModule("dropout2", new Dropout(o.dropout, { rng }));
    this.normFirst = o.normFirst;
    this.activation = o.activation;
    this.batchFirst = batchFirst;
  }

  /** src [B, L, E] → [B, L, E] ([L, B, E] with batchFirst false). */
  override forward(src: Tensor, options?: EncoderLayerForwardOptions): Tensor {
    options = checkOptions("TransformerEncoderLayer.forward", options, ENCODER_LAYER_FORWARD_KEYS);
    const hook = options.onAttentionWeights ?? null;
    const sa = (x: Tensor): Tensor => {
      const { output, weights } = this.selfAttn.forward(x, x, x, {
        attnMask: options.srcMask ?? null, keyPaddingMask: options.srcKeyPaddingMask ?? null, isCausal: options.isCausal ?? false,
        needWeights: hook !== null, averageAttnWeights: false,
      });
      if (hook !== null) hook("self", weights!);
      return output;
    };
    const ff = (x: Tensor): Tensor => feedForward(x, this.linear1, this.linear2, this.dropout, this.activation);
    if (this.normFirst) {
      const x = add(src, this.dropout1.forward(sa(this.norm1.forward(src))));
      return add(x, this.dropout2.forward(ff(this.norm2.forward(x))));
    }
    const x = addNorm(src, sa(src), this.norm1, this.dropout1);
    return addNorm(x, ff(x), this.norm2, this.dropout2);
  }
}
