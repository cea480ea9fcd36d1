import { Dropout, LayerNorm, Module } from "@heed/nn";
import { add, checkOptions, type Generator, type OptionKeys, type Tensor } from "@heed/tensor-core";
import type { MaskedOutBoolMask } from "../functional/types.js";
import { MultiHeadAttention } from "./multi-head-attention.js";

export interface ResidualSelfAttentionOptions {
  /** E: model width. */
  embedDim: number;
  /** H: heads; embedDim must be divisible by numHeads. */
  numHeads: number;
  /** Dropout on the attention weights and on the attention output before the residual add (default 0). */
  dropout?: number;
  /** "none": x + MHA(x); "pre": x + MHA(LN(x)); "post": LN(x + MHA(x)) (default "none"). */
  norm?: "none" | "pre" | "post";
  /** Biases in the projections (and the LayerNorm) (default true). */
  bias?: boolean;
  /** LayerNorm epsilon (default 1e-5). */
  eps?: number;
  rng?: Generator;
  /** Parameter dtype (default "float32"). */
  dtype?: "float32" | "float64";
}

/** Masks use torch.nn.MultiheadAttention's convention: bool **TRUE = MASKED OUT**, float added. */
export interface ResidualSelfAttentionForwardOptions {
  /** [L, L] or [B·H, L, L]. */
  attnMask?: MaskedOutBoolMask | null;
  /** [B, L]: TRUE marks padding. */
  keyPaddingMask?: MaskedOutBoolMask | null;
  isCausal?: boolean;
}

const KEYS: OptionKeys<ResidualSelfAttentionOptions> = { embedDim: true, numHeads: true, dropout: true, norm: true, bias: true, eps: true, rng: true, dtype: true };
const FORWARD_KEYS: OptionKeys<ResidualSelfAttentionForwardOptions> = { attnMask: true, keyPaddingMask: true, isCausal: true };

/**
 * Residual self-attention block: x [B, L, E] → x + dropout(MHA(x, x, x)) with an optional
 * LayerNorm before (pre-norm) or after (post-norm). Submodules `self_attn` and `norm`.
 *
 * @example
 * const block = new ResidualSelfAttention({ embedDim: 16, numHeads: 4, norm: "pre", rng: new Generator(0) });
 * const y = block.forward(randn([2, 7, 16], new Generator(1)), { isCausal: true });   // [2,7,16]
 */
export class ResidualSelfAttention extends Module {
  static override readonly typeName: string = "ResidualSelfAttention";
  readonly selfAttn: MultiHeadAttention;
  readonly norm: LayerNorm | null;
  readonly dropout: Dropout;
  readonly normPosition: "none" | "pre" | "post";

  constructor(options: ResidualSelfAttentionOptions) {
    super();
    const { embedDim, numHeads, dropout = 0, norm = "none", bias = true, eps = 1e-5, rng, dtype = "float32" } = checkOptions("ResidualSelfAttention", options, KEYS);
    if (norm !== "none" && norm !== "pre" && norm !== "post") throw new Error(`ResidualSelfAttention: norm must be 'none', 'pre' or 'post', got '${String(norm)}'`);
    this.selfAttn = this.registerModule("self_attn", new MultiHeadAttention({ embedDim, numHeads, dropout, bias, rng, dtype }));
    this.norm = this.registerModule("norm", norm === "none" ? null : new LayerNorm(embedDim, { eps, bias, dtype }));
    this.dropout = this.registerModule("dropout", new Dropout(dropout, { rng }));
    this.normPosition = norm;
  }

  /** x [B, L, E] → [B, L, E]. */
  override forward(x: Tensor, forwardOptions?: ResidualSelfAttentionForwardOptions): Tensor {
    const options = checkOptions("ResidualSelfAttention.forward", forwardOptions, FORWARD_KEYS);
    const attend = (h: Tensor): Tensor => {
      const { output } = this.selfAttn.forward(h, h, h, {
        attnMask: options.attnMask ?? null, keyPaddingMask: options.keyPaddingMask ?? null, isCausal: options.isCausal ?? false, needWeights: false,
      });
      return this.dropout.forward(output);
    };
    if (this.norm === null) return add(x, attend(x));
    if (this.normPosition === "pre") return add(x, attend(this.norm.forward(x)));
    return this.norm.forward(add(x, attend(x)));
  }
}
