import { checkOptions, zeros, type Generator, type Tensor } from "@heed/tensor-core";
import { embedding, normalizePaddingIdx } from "../functional/embedding.js";
import { normal_ } from "../init.js";
import { Module } from "../module/module.js";
import type { Parameter } from "../module/parameter.js";
import { resolveGenerator } from "../random.js";

export interface EmbeddingOptions {
  /** This row is zero-initialised and receives no gradient (negative counts from the end). */
  paddingIdx?: number | null;
  rng?: Generator;
  dtype?: "float32" | "float64";
}

/**
 * A lookup table (torch.nn.Embedding): weight [numEmbeddings, embeddingDim] initialised
 * N(0, 1), with the `paddingIdx` row zeroed. int32 ids [...] → [..., embeddingDim].
 *
 * @example
 * const tok = new Embedding(vocabSize, E, { paddingIdx: 0 });
 * tok.forward(ids).shape;   // [B, L, E]
 */
export class Embedding extends Module {
  static override readonly typeName: string = "Embedding";
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  readonly paddingIdx: number | null;
  readonly weight: Parameter;

  constructor(numEmbeddings: number, embeddingDim: number, options?: EmbeddingOptions) {
    super();
    const { paddingIdx = null, rng, dtype = "float32" } = checkOptions("Embedding", options, { paddingIdx: true, rng: true, dtype: true });
    for (const [k, v] of [["numEmbeddings", numEmbeddings], ["embeddingDim", embeddingDim]] as const) {
      if (!Number.isInteger(v) || v < 0) throw new Error(`Embedding: ${k} must be a non-negative integer, got ${v}`);
    }
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    this.paddingIdx = paddingIdx === null ? null : normalizePaddingIdx("Embedding", paddingIdx, numEmbeddings);
    const w = normal_(zeros([numEmbeddings, embeddingDim], dtype), 0, 1, resolveGenerator(rng, "Embedding"));
    if (this.paddingIdx !== null) w.data.fill(0, this.paddingIdx * embeddingDim, (this.paddingIdx + 1) * embeddingDim);
    this.weight = this.registerParameter("weight", w);
  }

  forward(ids: Tensor): Tensor {
    return embedding(ids, this.weight, this.paddingIdx);
  }

  override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}${this.paddingIdx === null ? "" : `, padding_idx=${this.paddingIdx}`}`;
  }
}
