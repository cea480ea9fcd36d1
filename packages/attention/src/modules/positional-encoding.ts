import { dropout, embeddingPositions, getDefaultGenerator, init, Module, type Embedding, type Parameter } from "@heed/nn";
import { add, allocate, checkOptions, formatShape, slice, Tensor, zeros, type Generator, type OptionKeys } from "@heed/tensor-core";

export interface PositionalEncodingOptions {
  /** E: model width. */
  dModel: number;
  /** Longest sequence supported (default 5000). */
  maxLen?: number;
  /** Dropout on the sum, in training mode (default 0). */
  dropout?: number;
  /** Generator for dropout (and the learned table's initial values). */
  rng?: Generator;
  /** dtype of the table (default "float32"). */
  dtype?: "float32" | "float64";
}

const PE_KEYS: OptionKeys<PositionalEncodingOptions> = { dModel: true, maxLen: true, dropout: true, rng: true, dtype: true };

function check(fn: string, x: Tensor, offset: number, maxLen: number, dModel: number): number {
  const L = x.shape[x.rank - 2];
  if (x.rank < 2 || x.shape[x.rank - 1] !== dModel || L === undefined) {
    throw new Error(`${fn}: x must be [..., L, E] with E = dModel = ${dModel}, got shape ${formatShape(x.shape)}`);
  }
  if (!Number.isInteger(offset) || offset < 0 || offset + L > maxLen) {
    throw new Error(`${fn}: positions ${offset}..${offset + L - 1} of x ${formatShape(x.shape)} exceed maxLen ${maxLen}`);
  }
  return L;
}

/**
 * Fixed sinusoidal positions (Vaswani et al., 2017, §3.5): PE[p, 2i] = sin(p / 10000^(2i/E)),
 * PE[p, 2i+1] = cos(p / 10000^(2i/E)). forward(x [..., L, E], offset) = dropout(x + PE[offset : offset + L]).
 * The table is a non-persistent buffer `pe` [maxLen, E] (not in the state dict). Scale token
 * embeddings by √E before adding, as the paper does, if you want its exact recipe.
 *
 * @example
 * const pos = new SinusoidalPositionalEncoding({ dModel: 16 });
 * const y = pos.forward(randn([2, 7, 16], new Generator(0)));   // [2,7,16]
 */
export class SinusoidalPositionalEncoding extends Module {
  static override readonly typeName: string = "SinusoidalPositionalEncoding";
  readonly dModel: number;
  readonly maxLen: number;
  readonly p: number;
  readonly pe: Tensor;
  readonly #rng: Generator | undefined;

  constructor(options: PositionalEncodingOptions) {
    super();
    const { dModel, maxLen = 5000, dropout = 0, rng, dtype = "float32" } = checkOptions("SinusoidalPositionalEncoding", options, PE_KEYS);
    this.dModel = dModel;
    this.maxLen = maxLen;
    this.p = dropout;
    this.#rng = rng;
    const pe = allocate(dtype, maxLen * dModel);
    for (let pos = 0; pos < maxLen; pos++) {
      for (let i = 0; i < dModel; i++) {
        const angle = pos / Math.pow(10000, (2 * Math.floor(i / 2)) / dModel);
        pe[pos * dModel + i] = i % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
      }
    }
    this.pe = this.registerBuffer("pe", new Tensor(pe, [maxLen, dModel], dtype), { persistent: false });
  }

  /** x [..., L, E] → x + PE[offset : offset + L] (then dropout in training). */
  override forward(x: Tensor, offset = 0): Tensor {
    const L = check("SinusoidalPositionalEncoding.forward", x, offset, this.maxLen, this.dModel);
    return dropout(add(x, slice(this.pe, [offset], [offset + L])), this.p, this.training, this.#rng);
  }

  /**
   * `forward(mul(embedding.forward(ids), scale), offset)` — a Transformer's token embedding
   * scaled by √E plus these positions — as nn's fused `embeddingPositions`: one node, the same
   * bits and dropout mask. ids [..., L] int32 → [..., L, E].
   */
  embed(ids: Tensor, embedding: Embedding, scale: number, offset = 0): Tensor {
    const L = ids.shape[ids.rank - 1] ?? 1;
    const fn = "SinusoidalPositionalEncoding.embed";
    if (embedding.weight.shape[1] !== this.dModel) throw new Error(`${fn}: embeddings ${formatShape(embedding.weight.shape)} must be [V, E] with E = dModel = ${this.dModel}`);
    if (!Number.isInteger(offset) || offset < 0 || offset + L > this.maxLen) {
      throw new Error(`${fn}: positions ${offset}..${offset + L - 1} of ids ${formatShape(ids.shape)} exceed maxLen ${this.maxLen}`);
    }
    return embeddingPositions(ids, embedding.weight, { paddingIdx: embedding.paddingIdx, scale, positions: this.pe, offset, p: this.p, training: this.training, rng: this.#rng });
  }
}

/**
 * Learned absolute positions (as in BERT / GPT-2): a parameter `weight` [maxLen, E] drawn from
 * N(0, 1) like torch.nn.Embedding. forward(x [..., L, E], offset) = dropout(x + weight[offset : offset + L]).
 *
 * @example
 * const pos = new LearnedPositionalEncoding({ dModel: 16, maxLen: 64 });
 * const y = pos.forward(randn([2, 7, 16], new Generator(0)));   // [2,7,16]
 */
export class LearnedPositionalEncoding extends Module {
  static override readonly typeName: string = "LearnedPositionalEncoding";
  readonly dModel: number;
  readonly maxLen: number;
  readonly p: number;
  readonly weight: Parameter;
  readonly #rng: Generator | undefined;

  constructor(options: PositionalEncodingOptions) {
    super();
    const { dModel, maxLen = 5000, dropout = 0, rng, dtype = "float32" } = checkOptions("LearnedPositionalEncoding", options, PE_KEYS);
    this.dModel = dModel;
    this.maxLen = maxLen;
    this.p = dropout;
    this.#rng = rng;
    this.weight = this.registerParameter("weight", init.normal_(zeros([maxLen, dModel], dtype), 0, 1, rng ?? getDefaultGenerator()));
  }

  /** x [..., L, E] → x + weight[offset : offset + L] (then dropout in training). */
  override forward(x: Tensor, offset = 0): Tensor {
    const L = check("LearnedPositionalEncoding.forward", x, offset, this.maxLen, this.dModel);
    return dropout(add(x, slice(this.weight, [offset], [offset + L])), this.p, this.training, this.#rng);
  }
}
