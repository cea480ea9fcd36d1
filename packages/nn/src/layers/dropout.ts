import { checkOptions, describeValue, type Generator, type Tensor } from "@heed/tensor-core";
import { dropout } from "../functional/dropout.js";
import { Module } from "../module/module.js";
import { checkGenerator } from "../random.js";

/**
 * Inverted dropout (torch.nn.Dropout): in training mode zeroes each element with probability p
 * and scales the rest by 1/(1 − p); the identity after `eval()`. Masks come from `rng`, or from
 * nn's default generator at call time.
 *
 * @example
 * const drop = new Dropout(0.1, { rng: new Generator(0) });
 */
export class Dropout extends Module {
  static override readonly typeName: string = "Dropout";
  readonly p: number;
  readonly rng: Generator | undefined;

  constructor(p = 0.5, options?: { rng?: Generator }) {
    super();
    const { rng } = checkOptions("Dropout", options, { rng: true });
    if (typeof p !== "number" || !(p >= 0 && p <= 1)) {
      const hint = typeof p === "object" && p !== null && "p" in p ? " (p is positional: new Dropout(0.1, { rng }))" : "";
      throw new Error(`Dropout: probability p must be a number in [0, 1], got ${describeValue(p)}${hint}`);
    }
    checkGenerator("Dropout", rng);
    this.p = p;
    this.rng = rng;
  }

  forward(x: Tensor): Tensor {
    return dropout(x, this.p, this.training, this.rng);
  }

  override extraRepr(): string {
    return `p=${this.p}`;
  }
}
