import { getDefaultGenerator, init, linear, Module, type Parameter } from "@heed/nn";
import { checkOptions, describeValue, formatShape, permute, reshape, Tensor, zeros, type Generator, type OptionKeys } from "@heed/tensor-core";

export interface PatchEmbeddingOptions {
  /** C: channels of the input image (1 for grey digits, 3 for RGB). */
  inChannels: number;
  /** P: side of a square patch; the image height and width must be multiples of it. */
  patchSize: number;
  /** E: width of each patch's embedding. */
  embedDim: number;
  /** Bias on the projection (default true). */
  bias?: boolean;
  /** Generator for the initial weights (default: @heed/nn's default generator). */
  rng?: Generator;
  /** Parameter dtype (default "float32"; "float64" for gradient checks). */
  dtype?: "float32" | "float64";
}

const PATCH_EMBEDDING_KEYS: OptionKeys<PatchEmbeddingOptions> = { inChannels: true, patchSize: true, embedDim: true, bias: true, rng: true, dtype: true };

/**
 * Cuts an image into non-overlapping P×P patches and projects each linearly to E numbers — the
 * ViT patch embedding (Dosovitskiy et al. 2021, eq. 1), i.e. torchvision's
 * `conv_proj = Conv2d(C, E, kernel_size=P, stride=P)` followed by flatten and transpose.
 * Implemented as a strided reshape + one matmul, which is exactly that convolution:
 * x [B, C, h·P, w·P] → [B, h, w, C, P, P] → [B, N, C·P·P] · Wᵀ + b, N = h·w patches in row-major
 * order (left to right, top to bottom). Parameters have the convolution's names and layout,
 * `weight` [E, C, P, P] and `bias` [E], so torchvision's `conv_proj.*` load directly.
 * Initialised as torchvision does: weight normal with std √(1 / (C·P·P)) (torchvision truncates
 * it at ±2 std; Heed does not), bias zero.
 *
 * @example
 * const embed = new PatchEmbedding({ inChannels: 1, patchSize: 7, embedDim: 32, rng: new Generator(0) });
 * embed.forward(zeros([8, 1, 28, 28])).shape;   // [8, 16, 32]
 */
export class PatchEmbedding extends Module {
  static override readonly typeName: string = "PatchEmbedding";
  readonly inChannels: number;
  readonly patchSize: number;
  readonly embedDim: number;
  readonly weight: Parameter;
  readonly bias: Parameter | null;

  constructor(options: PatchEmbeddingOptions) {
    super();
    const { inChannels, patchSize, embedDim, bias = true, rng, dtype = "float32" } = checkOptions("PatchEmbedding", options, PATCH_EMBEDDING_KEYS);
    for (const [name, n] of [["inChannels", inChannels], ["patchSize", patchSize], ["embedDim", embedDim]] as const) {
      if (!Number.isInteger(n) || n <= 0) throw new Error(`PatchEmbedding: ${name} must be a positive integer, got ${describeValue(n)}`);
    }
    this.inChannels = inChannels;
    this.patchSize = patchSize;
    this.embedDim = embedDim;
    const fanIn = inChannels * patchSize * patchSize;
    const w = init.normal_(zeros([embedDim, inChannels, patchSize, patchSize], dtype), 0, Math.sqrt(1 / fanIn), rng ?? getDefaultGenerator());
    this.weight = this.registerParameter("weight", w);
    this.bias = this.registerParameter("bias", bias ? zeros([embedDim], dtype) : null);
  }

  /** The patch grid [h, w] of an image of height × width pixels (checked to be multiples of P). */
  grid(height: number, width: number): [number, number] {
    return this.#grid("PatchEmbedding.grid", height, width);
  }

  #grid(fn: string, height: number, width: number): [number, number] {
    const P = this.patchSize;
    if (!Number.isInteger(height) || !Number.isInteger(width) || height % P !== 0 || width % P !== 0 || height <= 0 || width <= 0) {
      throw new Error(`${fn}: image height ${describeValue(height)} and width ${describeValue(width)} must be positive multiples of patchSize ${P}`);
    }
    return [height / P, width / P];
  }

  /** The patches as rows: x [B, C, h·P, w·P] → [B, N, C·P·P], each row laid out (c, i, j) like the weight. */
  patches(x: Tensor): Tensor {
    if (!(x instanceof Tensor)) throw new Error(`PatchEmbedding.forward: expected an image batch [B, ${this.inChannels}, height, width] as a Tensor, got ${describeValue(x)}`);
    if (x.rank !== 4 || x.shape[1] !== this.inChannels) {
      throw new Error(`PatchEmbedding.forward: expected an image batch [B, ${this.inChannels}, height, width], got ${formatShape(x.shape)}`);
    }
    const [B, C, Hpx, Wpx] = x.shape as [number, number, number, number];
    const [h, w] = this.#grid("PatchEmbedding.forward", Hpx, Wpx);
    const P = this.patchSize;
    const tiles = permute(reshape(x, [B, C, h, P, w, P]), [0, 2, 4, 1, 3, 5]); // [B, h, w, C, P, P]
    return reshape(tiles, [B, h * w, C * P * P]);
  }

  /** x [B, C, h·P, w·P] → [B, N, E], N = h·w. */
  override forward(x: Tensor): Tensor {
    const P = this.patchSize;
    return linear(this.patches(x), reshape(this.weight, [this.embedDim, this.inChannels * P * P]), this.bias);
  }

  override extraRepr(): string {
    return `in_channels=${this.inChannels}, patch_size=${this.patchSize}, embed_dim=${this.embedDim}`;
  }
}
