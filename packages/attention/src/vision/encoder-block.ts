import { Dropout, GELU, getDefaultGenerator, init, LayerNorm, Linear, Module, Sequential } from "@heed/nn";
import { add, checkOptions, describeValue, type Generator, type OptionKeys, type Tensor } from "@heed/tensor-core";
import { MultiHeadAttention } from "../modules/multi-head-attention.js";

export interface VisionEncoderBlockOptions {
  /** H: attention heads; hiddenDim must be divisible by it. */
  numHeads: number;
  /** E: token width. */
  hiddenDim: number;
  /** Hidden width of the MLP. */
  mlpDim: number;
  /** Dropout after attention and inside/after the MLP, training mode only (default 0). */
  dropout?: number;
  /** Dropout on the attention weights, training mode only (default 0). */
  attentionDropout?: number;
  /** LayerNorm epsilon (default 1e-6, as torchvision). */
  layerNormEps?: number;
  rng?: Generator;
  dtype?: "float32" | "float64";
}

const BLOCK_KEYS: OptionKeys<VisionEncoderBlockOptions> = {
  numHeads: true, hiddenDim: true, mlpDim: true, dropout: true, attentionDropout: true, layerNormEps: true, rng: true, dtype: true,
};

/** Output of `VisionEncoderBlock.forwardWithWeights`. */
export interface BlockOutput {
  /** [B, L, E] */
  output: Tensor;
  /** [B, H, L, L] per-head attention weights (rows sum to 1). */
  weights: Tensor;
}

/**
 * One pre-norm ViT encoder layer (Dosovitskiy et al. 2021, eqs. 2–3), torchvision's
 * `EncoderBlock`: x = x + dropout(MSA(LN₁(x))); y = x + MLP(LN₂(x)), MLP = Linear → GELU →
 * Dropout → Linear → Dropout. [B, L, E] → [B, L, E]. State-dict names as torchvision:
 * `ln_1.*`, `self_attention.{in_proj_weight, in_proj_bias, out_proj.*}`, `ln_2.*`,
 * `mlp.0.*`, `mlp.3.*`. MLP init as torchvision: Xavier-uniform weights, biases N(0, 1e-6).
 *
 * @example
 * const block = new VisionEncoderBlock({ numHeads: 2, hiddenDim: 8, mlpDim: 16, rng: new Generator(0) });
 * block.forward(randn([2, 5, 8], new Generator(1))).shape;   // [2, 5, 8]
 */
export class VisionEncoderBlock extends Module {
  static override readonly typeName: string = "VisionEncoderBlock";
  readonly ln1: LayerNorm;
  readonly selfAttention: MultiHeadAttention;
  readonly dropout: Dropout;
  readonly ln2: LayerNorm;
  readonly mlp: Sequential;

  constructor(options: VisionEncoderBlockOptions) {
    super();
    const { numHeads, hiddenDim: E, mlpDim, dropout = 0, attentionDropout = 0, layerNormEps = 1e-6, rng, dtype = "float32" } = checkOptions("VisionEncoderBlock", options, BLOCK_KEYS);
    if (!Number.isInteger(mlpDim) || mlpDim <= 0) throw new Error(`VisionEncoderBlock: mlpDim must be a positive integer, got ${describeValue(mlpDim)}`);
    const g = rng ?? getDefaultGenerator();
    this.ln1 = this.registerModule("ln_1", new LayerNorm(E, { eps: layerNormEps, dtype }));
    this.selfAttention = this.registerModule("self_attention", new MultiHeadAttention({ embedDim: E, numHeads, dropout: attentionDropout, rng: g, dtype }));
    this.dropout = this.registerModule("dropout", new Dropout(dropout, { rng: g }));
    this.ln2 = this.registerModule("ln_2", new LayerNorm(E, { eps: layerNormEps, dtype }));
    const fc1 = new Linear(E, mlpDim, { rng: g, dtype });
    const fc2 = new Linear(mlpDim, E, { rng: g, dtype });
    for (const fc of [fc1, fc2]) {
      init.xavierUniform_(fc.weight, 1, g);
      init.normal_(fc.bias!, 0, 1e-6, g);
    }
    this.mlp = this.registerModule("mlp", new Sequential(fc1, new GELU(), new Dropout(dropout, { rng: g }), fc2, new Dropout(dropout, { rng: g })));
  }

  /** x [B, L, E] → [B, L, E]. */
  override forward(x: Tensor): Tensor {
    return this.#run(x, false).output;
  }

  /** The same, also returning the per-head attention weights [B, H, L, L]. */
  forwardWithWeights(x: Tensor): BlockOutput {
    const { output, weights } = this.#run(x, true);
    return { output, weights: weights! };
  }

  #run(x: Tensor, needWeights: boolean): { output: Tensor; weights: Tensor | null } {
    const h = this.ln1.forward(x);
    const sa = this.selfAttention.forward(h, h, h, { needWeights, averageAttnWeights: false });
    const y = add(x, this.dropout.forward(sa.output));
    return { output: add(y, this.mlp.forward(this.ln2.forward(y))), weights: sa.weights };
  }
}
