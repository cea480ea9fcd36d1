import { checkOptions, zeros, type DType, type Generator, type Tensor } from "@heed/tensor-core";
import { linear } from "../functional/linear.js";
import { kaimingUniform_, uniform_ } from "../init.js";
import { Module } from "../module/module.js";
import type { Parameter } from "../module/parameter.js";
import { resolveGenerator } from "../random.js";

export interface LinearOptions {
  bias?: boolean;
  /** Generator for the initial weights (default: nn's default generator, see `manualSeed`). */
  rng?: Generator;
  dtype?: "float32" | "float64";
}

/**
 * A fully connected layer y = x·Wᵀ + b (torch.nn.Linear): weight [out, in], bias [out], both
 * initialised as PyTorch does — kaiming_uniform(a = √5) for the weight, i.e. U(−1/√in, 1/√in),
 * and U(−1/√in, 1/√in) for the bias (weight drawn first). x: [..., in] → [..., out].
 *
 * @example
 * const proj = new Linear(E, 4 * E, { rng: new Generator(0) });
 * proj.forward(x).shape;   // [B, L, 4E]
 */
export class Linear extends Module {
  static override readonly typeName: string = "Linear";
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly weight: Parameter;
  readonly bias: Parameter | null;

  constructor(inFeatures: number, outFeatures: number, options?: LinearOptions) {
    super();
    const { bias = true, rng, dtype = "float32" } = checkOptions("Linear", options, { bias: true, rng: true, dtype: true });
    for (const [k, v] of [["inFeatures", inFeatures], ["outFeatures", outFeatures]] as const) {
      if (!Number.isInteger(v) || v < 0) throw new Error(`Linear: ${k} must be a non-negative integer, got ${v}`);
    }
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    const g = resolveGenerator(rng, "Linear");
    const dt: DType = dtype;
    this.weight = this.registerParameter("weight", kaimingUniform_(zeros([outFeatures, inFeatures], dt), { a: Math.sqrt(5), rng: g }));
    const bound = inFeatures > 0 ? 1 / Math.sqrt(inFeatures) : 0;
    this.bias = this.registerParameter("bias", bias ? uniform_(zeros([outFeatures], dt), -bound, bound, g) : null);
  }

  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${this.bias !== null}`;
  }
}

/** Alias of `Linear` (the Keras/TensorFlow.js name). */
export const Dense = Linear;
export type Dense = Linear;
