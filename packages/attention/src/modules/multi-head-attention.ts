import { getDefaultGenerator, init, Linear, Module, type Parameter } from "@heed/nn";
import { checkOptions, transpose, zeros, type Generator, type OptionKeys, type Tensor } from "@heed/tensor-core";
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
  /**
   * Layout of batched query/key/value and output: true (Heed's default) [B, L, E]; false
   * [L, B, E], PyTorch's default. Masks and weights do not depend on it (key padding [B, S],
   * weights [B, L, S]), as in PyTorch.
   */
  batchFirst?: boolean;
}

const MHA_KEYS: OptionKeys<MultiHeadAttentionOptions> = {
  embedDim: true, numHeads: true, dropout: true, bias: true, addBiasKV: true, addZeroAttn: true, kdim: true, vdim: true, rng: true, dtype: true, batchFirst: true,
};

/**
 * Multi-head attention, identical to `torch.nn.MultiheadAttention(E, H, batch_first=True)`:
 * query [B, L, E], key [B, S, kdim], value [B, S, vdim] → output [B, L, E] and weights
 * [B, L, S] (averaged over heads) or [B, H, L, S]. With `batchFirst: false` it is
 * `torch.nn.MultiheadAttention(E, H)` (PyTorch's default layout): query [L, B, E], key and
 * value [S, B, ·], output [L, B, E]; weights stay [B, L, S]. **Its bool masks mean TRUE = MASKED OUT**
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
  static override readonly typeName: string = "MultiHeadAttention";
  readonly embedDim: number;
  readonly numHeads: number;
  readonly headDim: number;
  readonly kdim: number;
  readonly vdim: number;
  readonly dropout: number;
  readonly addZeroAttn: boolean;
  /** Batched inputs are [B, L, E] (true, default) or [L, B, E] (false, PyTorch's default). */
  readonly batchFirst: boolean;
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
    options = checkOptions("MultiHeadAttention", options, MHA_KEYS);
    const { embedDim: E, numHeads: H, dropout = 0, bias = true, addBiasKV = false, addZeroAttn = false, rng, dtype = "float32", batchFirst = true } = options;
    const kdim = options.kdim ?? E;
    const vdim = options.vdim ?? E;
    for (const [name, n] of [["embedDim", E], ["numHeads", H], ["kdim", kdim], ["vdim", vdim]] as const) {
      if (!Number.isInteger(n) || n <= 0) throw new Error(`MultiHeadAttention: ${name} must be a positive integer, got ${n} (embedDim=${E}, numHeads=${H})`);
    }
    if (E % H !== 0) throw new Error(`MultiHeadAttention: embedDim ${E} is not divisible by numHeads ${H}`);
    if (!(dropout >= 0 && dropout <= 1)) throw new Error(`MultiHeadAttention: dropout must be in [0, 1], got ${dropout}`);
    if (typeof batchFirst !== "boolean") throw new Error(`MultiHeadAttention: batchFirst must be a boolean, got ${String(batchFirst)}`);
    this.batchFirst = batchFirst;
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
   * query [B, L, E], key [B, S, kdim], value [B, S, vdim] (or unbatched without B); with
   * `batchFirst: false` [L, B, E], [S, B, kdim], [S, B, vdim] and output [L, B, E]. Masks:
   * **bool TRUE = MASKED OUT**. Pass the same tensor as query, key and value for
   * self-attention.
   */
  override forward(query: Tensor, key: Tensor, value: Tensor, options: MhaForwardOptions = {}): MhaOutput {
    const cfg = { numHeads: this.numHeads, addZeroAttn: this.addZeroAttn, dropoutP: this.training ? this.dropout : 0, rng: this.#rng };
    if (this.batchFirst || query.rank !== 3) return multiHeadAttentionForward(query, key, value, this.params(), cfg, options);
    // [L, B, E] → [B, L, E] and back; identity is kept so self-attention still projects once.
    const swap = (t: Tensor): Tensor => transpose(t, 0, 1);
    const q = swap(query);
    const k = key === query ? q : swap(key);
    const v = value === key ? k : swap(value);
    const { output, weights } = multiHeadAttentionForward(q, k, v, this.params(), cfg, options);
    return { output: swap(output), weights };
  }

  override extraRepr(): string {
    return `embed_dim=${this.embedDim}, num_heads=${this.numHeads}, dropout=${this.dropout}, kdim=${this.kdim}, vdim=${this.vdim}, batch_first=${this.batchFirst}`;
  }
}
