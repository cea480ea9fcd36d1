import { getDefaultGenerator, init, Linear, Module, type Parameter } from "@heed/nn";
import { zeros, type Generator, type Tensor } from "@heed/tensor-core";
import { multiHeadAttentionForward, type MhaForwardOptions, type MhaOutput, type MhaParams } from "./mha-functional.js";

export interface MultiHeadAttentionOptions {
  /** E: model width (query width and output width). */
  embedDim: number;
  /** H: number of heads; E must be divisible by H (head width D = E / H). */
  numHeads: number;
  /** Dropout probability on the attention weights, in training mode only (default 0). */
  dropout?: number;
  /** Biases on the input and output projections (default true). */
  bias?: boolean;
  /** Learned bias_k, bias_v [1, 1, E] appended to the keys and values (default false). */
  addBiasKV?: boolean;
  /** Append an all-zero key and value after the projections (default false). */
  addZeroAttn?: boolean;
  /** Key width (default E). */
  kdim?: number;
  /** Value width (default E). */
  vdim?: number;
  /** Generator for the initial weights and dropout (default: @heed/nn's default, see manualSeed). */
  rng?: Generator;
  /** Parameter dtype (default "float32"; "float64" for gradient checks). */
  dtype?: "float32" | "float64";
}

/**
 * Multi-head attention, identical to `torch.nn.MultiheadAttention(E, H, batch_first=True)`:
 * query [B, L, E], key [B, S, kdim], value [B, S, vdim] → output [B, L, E] and weights
 * [B, L, S] (averaged over heads) or [B, H, L, S]. **Its bool masks mean TRUE = MASKED OUT**
 * (`MaskedOutBoolMask`), the opposite of `scaledDotProductAttention`'s. Parameters have
 * PyTorch's names and layout (in_proj_weight [3E, E], in_proj_bias [3E], out_proj.weight,
 * out_proj.bias; q/k/v_proj_weight when kdim or vdim ≠ E; bias_k, bias_v), so PyTorch weights
 * saved as safetensors load directly. Vaswani et al., "Attention Is All You Need", 2017, §3.2.2.
 *
 * @example
 * const mha = new MultiHeadAttention({ embedDim: 8, numHeads: 2, rng: new Generator(0) });
 * const x = randn([2, 5, 8], new Generator(1));
 * const { output, weights } = mha.forward(x, x, x);   // [2,5,8], [2,5,5]
 */
export class MultiHeadAttention extends Module {
  readonly embedDim: number;
  readonly numHeads: number;
  readonly headDim: number;
  readonly kdim: number;
  readonly vdim: number;
  readonly dropout: number;
  readonly addZeroAttn: boolean;
  readonly inProjWeight: Parameter | null;
  readonly qProjWeight: Parameter | null;
  readonly kProjWeight: Parameter | null;
  readonly vProjWeight: Parameter | null;
  readonly inProjBias: Parameter | null;
  readonly biasK: Parameter | null;
  readonly biasV: Parameter | null;
  readonly outProj: Linear;
  readonly #rng: Generator | undefined;

  constructor(options: MultiHeadAttentionOptions) {
    super();
    const { embedDim: E, numHeads: H, dropout = 0, bias = true, addBiasKV = false, addZeroAttn = false, rng, dtype = "float32" } = options;
    const kdim = options.kdim ?? E;
    const vdim = options.vdim ?? E;
    for (const [name, n] of [["embedDim", E], ["numHeads", H], ["kdim", kdim], ["vdim", vdim]] as const) {
      if (!Number.isInteger(n) || n <= 0) throw new Error(`MultiHeadAttention: ${name} must be a positive integer, got ${n} (embedDim=${E}, numHeads=${H})`);
    }
    if (E % H !== 0) throw new Error(`MultiHeadAttention: embedDim ${E} is not divisible by numHeads ${H}`);
    if (!(dropout >= 0 && dropout <= 1)) throw new Error(`MultiHeadAttention: dropout must be in [0, 1], got ${dropout}`);
    const g = rng ?? getDefaultGenerator();
    this.embedDim = E;
    this.numHeads = H;
    this.headDim = E / H;
    this.kdim = kdim;
    this.vdim = vdim;
    this.dropout = dropout;
    this.addZeroAttn = addZeroAttn;
    const xavierUniform = (shape: number[]): Tensor => init.xavierUniform_(zeros(shape, dtype), 1, g);
    const xavierNormal = (shape: number[]): Tensor => init.xavierNormal_(zeros(shape, dtype), 1, g);
    const packed = kdim === E && vdim === E;
    // Registration order and initialisation follow PyTorch's __init__ and _reset_parameters.
    this.qProjWeight = this.registerParameter("q_proj_weight", packed ? null : xavierUniform([E, E]));
    this.kProjWeight = this.registerParameter("k_proj_weight", packed ? null : xavierUniform([E, kdim]));
    this.vProjWeight = this.registerParameter("v_proj_weight", packed ? null : xavierUniform([E, vdim]));
    this.inProjWeight = this.registerParameter("in_proj_weight", packed ? xavierUniform([3 * E, E]) : null);
    this.inProjBias = this.registerParameter("in_proj_bias", bias ? zeros([3 * E], dtype) : null);
    this.outProj = this.registerModule("out_proj", new Linear(E, E, { bias, rng: g, dtype }));
    if (this.outProj.bias !== null) this.outProj.bias.data.fill(0);
    this.biasK = this.registerParameter("bias_k", addBiasKV ? xavierNormal([1, 1, E]) : null);
    this.biasV = this.registerParameter("bias_v", addBiasKV ? xavierNormal([1, 1, E]) : null);
    this.#rng = rng;
  }

  /** The parameters by role, for `multiHeadAttentionForward`. */
  params(): MhaParams {
    return {
      inProjWeight: this.inProjWeight, qProjWeight: this.qProjWeight, kProjWeight: this.kProjWeight, vProjWeight: this.vProjWeight,
      inProjBias: this.inProjBias, biasK: this.biasK, biasV: this.biasV, outProjWeight: this.outProj.weight, outProjBias: this.outProj.bias,
    };
  }

  /**
   * query [B, L, E], key [B, S, kdim], value [B, S, vdim] (or unbatched without B). Masks:
   * **bool TRUE = MASKED OUT**. Pass the same tensor as query, key and value for
   * self-attention.
   */
  override forward(query: Tensor, key: Tensor, value: Tensor, options: MhaForwardOptions = {}): MhaOutput {
    const cfg = { numHeads: this.numHeads, addZeroAttn: this.addZeroAttn, dropoutP: this.training ? this.dropout : 0, rng: this.#rng };
    return multiHeadAttentionForward(query, key, value, this.params(), cfg, options);
  }

  override extraRepr(): string {
    return `embed_dim=${this.embedDim}, num_heads=${this.numHeads}, dropout=${this.dropout}, kdim=${this.kdim}, vdim=${this.vdim}`;
  }
}
