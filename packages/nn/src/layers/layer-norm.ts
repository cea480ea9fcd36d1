import { checkOptions, expectBoolean, ones, zeros, type Tensor } from "@heed/tensor-core";
import { checkEps, layerNorm } from "../functional/layer-norm.js";
import { Module } from "../module/module.js";
import type { Parameter } from "../module/parameter.js";

export interface LayerNormOptions {
  eps?: number;
  /** Learnable per-element weight (ones) and bias (zeros). Default true. */
  elementwiseAffine?: boolean;
  /** Include the bias when affine. Default true. */
  bias?: boolean;
  dtype?: "float32" | "float64";
}

/**
 * Layer normalisation over the trailing `normalizedShape` (torch.nn.LayerNorm; biased variance,
 * eps = 1e-5). Parameters `weight` (ones) and `bias` (zeros) have shape normalizedShape.
 *
 * @example
 * const norm = new LayerNorm(E);
 * norm.forward(x).shape;   // [B, L, E]
 */
export class LayerNorm extends Module {
  static override readonly typeName: string = "LayerNorm";
  readonly normalizedShape: number[];
  readonly eps: number;
  readonly weight: Parameter | null;
  readonly bias: Parameter | null;

  constructor(normalizedShape: number | readonly number[], options?: LayerNormOptions) {
    super();
    const { eps = 1e-5, elementwiseAffine = true, bias = true, dtype = "float32" } = checkOptions("LayerNorm", options, { eps: true, elementwiseAffine: true, bias: true, dtype: true });
    expectBoolean("LayerNorm", "elementwiseAffine", elementwiseAffine);
    expectBoolean("LayerNorm", "bias", bias);
    this.normalizedShape = typeof normalizedShape === "number" ? [normalizedShape] : [...normalizedShape];
    if (this.normalizedShape.some((d) => !Number.isInteger(d) || d < 0)) throw new Error(`LayerNorm: invalid normalizedShape [${this.normalizedShape.join(",")}]`);
    checkEps("LayerNorm", eps);
    this.eps = eps;
    this.weight = this.registerParameter("weight", elementwiseAffine ? ones(this.normalizedShape, dtype) : null);
    this.bias = this.registerParameter("bias", elementwiseAffine && bias ? zeros(this.normalizedShape, dtype) : null);
  }

  forward(x: Tensor): Tensor {
    return layerNorm(x, this.normalizedShape, this.weight, this.bias, this.eps);
  }

  override extraRepr(): string {
    return `(${this.normalizedShape.join(", ")}${this.normalizedShape.length === 1 ? "," : ""}), eps=${pythonFloat(this.eps)}, elementwise_affine=${this.weight !== null}`;
  }
}

/** A number as Python's repr prints it (1e-05, 0.001), so reprs read like PyTorch's. */
function pythonFloat(v: number): string {
  const s = v !== 0 && Math.abs(v) < 1e-4 ? v.toExponential() : String(v);
  return s.replace(/e([+-])(\d)$/, "e$10$2");
}
