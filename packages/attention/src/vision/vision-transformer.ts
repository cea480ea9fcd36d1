import { Dropout, getDefaultGenerator, init, LayerNorm, Linear, Module, type Parameter } from "@heed/nn";
import { add, checkOptions, concat, describeValue, expand, formatShape, reshape, slice, Tensor, zeros, type Generator, type OptionKeys } from "@heed/tensor-core";
import { VisionEncoderBlock } from "./encoder-block.js";
import { PatchEmbedding } from "./patch-embedding.js";

export interface VisionTransformerOptions {
  /** Input image side in pixels, or [height, width]; multiples of patchSize. */
  imageSize: number | readonly [number, number];
  /** P: side of the square, non-overlapping patches. */
  patchSize: number;
  /** Number of encoder layers. */
  numLayers: number;
  /** H: attention heads per layer. */
  numHeads: number;
  /** E: token width (hiddenDim % numHeads must be 0). */
  hiddenDim: number;
  /** Hidden width of each layer's MLP. */
  mlpDim: number;
  /** Output classes (default 1000, as torchvision). */
  numClasses?: number;
  /** C: image channels (default 3, as torchvision; 1 for grey images). */
  inChannels?: number;
  /** Dropout after the position embedding, attention and MLP (training mode only; default 0). */
  dropout?: number;
  /** Dropout on the attention weights (training mode only; default 0). */
  attentionDropout?: number;
  /** LayerNorm epsilon (default 1e-6, as torchvision). */
  layerNormEps?: number;
  /** Generator for the initial weights and dropout (default: @heed/nn's default generator). */
  rng?: Generator;
  /** Parameter dtype (default "float32"; "float64" for gradient checks). */
  dtype?: "float32" | "float64";
}

const VIT_KEYS: OptionKeys<VisionTransformerOptions> = {
  imageSize: true, patchSize: true, numLayers: true, numHeads: true, hiddenDim: true, mlpDim: true, numClasses: true,
  inChannels: true, dropout: true, attentionDropout: true, layerNormEps: true, rng: true, dtype: true,
};

/** torchvision's `heads` container: one linear layer named `head`. */
class ClassifierHeads extends Module {
  static override readonly typeName: string = "ClassifierHeads";
  readonly head: Linear;
  constructor(E: number, classes: number, dtype: "float32" | "float64", rng: Generator) {
    super();
    // torchvision zero-initialises the classification head
    this.head = this.registerModule("head", new Linear(E, classes, { dtype, rng }));
    init.zeros_(this.head.weight);
    init.zeros_(this.head.bias!);
  }
  override forward(x: Tensor): Tensor {
    return this.head.forward(x);
  }
}

/** torchvision's `encoder.layers`: the blocks registered as `encoder_layer_0`, `encoder_layer_1`, …. */
class EncoderLayers extends Module {
  static override readonly typeName: string = "EncoderLayers";
  readonly blocks: VisionEncoderBlock[];
  constructor(blocks: VisionEncoderBlock[]) {
    super();
    this.blocks = blocks.map((b, i) => this.registerModule(`encoder_layer_${i}`, b));
  }
  override forward(x: Tensor): Tensor {
    return this.blocks.reduce((h, b) => b.forward(h), x);
  }
}

/** torchvision's `Encoder`: + pos_embedding, dropout, the layers, final LayerNorm `ln`. */
export class VisionEncoder extends Module {
  static override readonly typeName: string = "VisionEncoder";
  readonly posEmbedding: Parameter;
  readonly dropout: Dropout;
  readonly layers: EncoderLayers;
  readonly ln: LayerNorm;

  constructor(seqLength: number, o: Required<Omit<VisionTransformerOptions, "rng" | "imageSize">> & { rng: Generator }) {
    super();
    this.posEmbedding = this.registerParameter("pos_embedding", init.normal_(zeros([1, seqLength, o.hiddenDim], o.dtype), 0, 0.02, o.rng));
    this.dropout = this.registerModule("dropout", new Dropout(o.dropout, { rng: o.rng }));
    const { numHeads, hiddenDim, mlpDim, dropout, attentionDropout, layerNormEps, rng, dtype } = o;
    const blocks = Array.from({ length: o.numLayers }, () => new VisionEncoderBlock({ numHeads, hiddenDim, mlpDim, dropout, attentionDropout, layerNormEps, rng, dtype }));
    this.layers = this.registerModule("layers", new EncoderLayers(blocks));
    this.ln = this.registerModule("ln", new LayerNorm(o.hiddenDim, { eps: o.layerNormEps, dtype: o.dtype }));
  }

  /** tokens [B, L, E] → [B, L, E]; with `weights`, each layer's [B, H, L, L] is pushed onto it. */
  override forward(tokens: Tensor, weights?: Tensor[]): Tensor {
    let h = this.dropout.forward(add(tokens, this.posEmbedding));
    for (const block of this.layers.blocks) {
      if (weights === undefined) h = block.forward(h);
      else {
        const r = block.forwardWithWeights(h);
        weights.push(r.weights);
        h = r.output;
      }
    }
    return this.ln.forward(h);
  }
}

/**
 * The Vision Transformer (Dosovitskiy et al., "An Image is Worth 16x16 Words", ICLR 2021),
 * laid out as torchvision's `VisionTransformer`: patch embedding (`conv_proj`), a learned class
 * token (`class_token`, [1, 1, E]) put before the N patch tokens, learned position embeddings
 * (`encoder.pos_embedding`, [1, N+1, E]), pre-norm encoder layers
 * (`encoder.layers.encoder_layer_<i>.*`), a final LayerNorm (`encoder.ln`) and a linear
 * classifier on the class token (`heads.head`). Those are the state-dict names, so a
 * torchvision checkpoint of the same shape (without `representation_size`) saved as
 * safetensors loads by name; TypeScript properties are the camelCase forms (`convProj`,
 * `classToken`, `encoder.posEmbedding`, `encoder.layers.blocks[i]`, `heads.head`).
 * images [B, C, Hpx, Wpx] → logits [B, numClasses].
 *
 * @example
 * const vit = new VisionTransformer({ imageSize: 28, patchSize: 7, numLayers: 2, numHeads: 2, hiddenDim: 16, mlpDim: 32, numClasses: 10, inChannels: 1, rng: new Generator(0) });
 * vit.forward(zeros([4, 1, 28, 28])).shape;   // [4, 10]
 */
export class VisionTransformer extends Module {
  static override readonly typeName: string = "VisionTransformer";
  readonly imageSize: [number, number];
  readonly grid: [number, number];
  readonly numClasses: number;
  readonly convProj: PatchEmbedding;
  readonly classToken: Parameter;
  readonly encoder: VisionEncoder;
  readonly heads: ClassifierHeads;

  constructor(options: VisionTransformerOptions) {
    super();
    const checked = checkOptions("VisionTransformer", options, VIT_KEYS);
    const o = { numClasses: 1000, inChannels: 3, dropout: 0, attentionDropout: 0, layerNormEps: 1e-6, dtype: "float32" as const, ...checked, rng: checked.rng ?? getDefaultGenerator() };
    for (const [name, n] of [["patchSize", o.patchSize], ["numLayers", o.numLayers], ["numHeads", o.numHeads], ["hiddenDim", o.hiddenDim], ["numClasses", o.numClasses]] as const) {
      if (!Number.isInteger(n) || n <= 0) throw new Error(`VisionTransformer: ${name} must be a positive integer, got ${describeValue(n)}`);
    }
    if (o.hiddenDim % o.numHeads !== 0) throw new Error(`VisionTransformer: hiddenDim ${o.hiddenDim} is not divisible by numHeads ${o.numHeads}`);
    const size: unknown = typeof o.imageSize === "number" ? [o.imageSize, o.imageSize] : o.imageSize;
    const P = o.patchSize;
    if (!Array.isArray(size) || size.length !== 2 || !size.every((n) => Number.isInteger(n) && n > 0 && n % P === 0)) {
      throw new Error(`VisionTransformer: imageSize must be a positive multiple of patchSize ${P}, or [height, width] of such multiples, got ${describeValue(o.imageSize)}`);
    }
    this.imageSize = [size[0] as number, size[1] as number];
    this.numClasses = o.numClasses;
    this.convProj = this.registerModule("conv_proj", new PatchEmbedding({ inChannels: o.inChannels, patchSize: o.patchSize, embedDim: o.hiddenDim, rng: o.rng, dtype: o.dtype }));
    this.grid = this.convProj.grid(...this.imageSize);
    this.classToken = this.registerParameter("class_token", zeros([1, 1, o.hiddenDim], o.dtype));
    this.encoder = this.registerModule("encoder", new VisionEncoder(this.grid[0] * this.grid[1] + 1, o));
    this.heads = this.registerModule("heads", new ClassifierHeads(o.hiddenDim, o.numClasses, o.dtype, o.rng));
  }

  /** Tokens [B, 1 + N, E]: the class token, then the patches in row-major order. */
  tokens(images: Tensor): Tensor {
    const [Hpx, Wpx] = this.imageSize;
    const C = this.convProj.inChannels;
    const expected = `VisionTransformer.forward: expected images [B, ${C}, ${Hpx}, ${Wpx}] (NCHW, as torchvision)`;
    if (!(images instanceof Tensor)) throw new Error(`${expected} as a Tensor, got ${describeValue(images)}`);
    if (images.rank !== 4 || images.shape[1] !== C || images.shape[2] !== Hpx || images.shape[3] !== Wpx) {
      throw new Error(`${expected}, got ${formatShape(images.shape)}`);
    }
    const patches = this.convProj.forward(images);
    const [B, , E] = patches.shape as [number, number, number];
    return concat([expand(this.classToken, [B, 1, E]), patches], 1);
  }

  /** images [B, C, Hpx, Wpx] → logits [B, numClasses]. */
  override forward(images: Tensor): Tensor {
    return this.#classify(this.encoder.forward(this.tokens(images)));
  }

  /** Logits and every layer's per-head attention weights [B, H, 1+N, 1+N] (token 0 = class token). */
  forwardWithAttention(images: Tensor): { logits: Tensor; weights: Tensor[] } {
    const weights: Tensor[] = [];
    const h = this.encoder.forward(this.tokens(images), weights);
    return { logits: this.#classify(h), weights };
  }

  #classify(h: Tensor): Tensor {
    const [B, , E] = h.shape as [number, number, number];
    return this.heads.forward(reshape(slice(h, [0, 0, 0], [B, 1, E]), [B, E]));
  }

  override extraRepr(): string {
    return `image_size=${this.imageSize.join("x")}, patch_grid=${this.grid.join("x")}, num_classes=${this.numClasses}`;
  }
}
