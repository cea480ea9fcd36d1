import { run } from "../../dispatch.js";
import { checkOptions, type OptionKeys } from "../../options.js";
import type { Tensor } from "../../tensor.js";
import { expectTensor } from "./convert.js";

export interface GeluOptions {
  /** "none" (default): x·Φ(x) with the exact erf; "tanh": the tanh approximation. */
  approximate?: "none" | "tanh";
}

const GELU_KEYS: OptionKeys<GeluOptions> = { approximate: true };

/**
 * Gaussian Error Linear Unit (Hendrycks & Gimpel, "Gaussian Error Linear Units", 2016), as
 * torch.nn.functional.gelu: 0.5·x·(1 + erf(x/√2)), or with `approximate: "tanh"`
 * 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). int32/bool inputs give float32.
 * @example gelu(tensor([-1, 0, 1])) // [-0.1587, 0, 0.8413]
 */
export function gelu(x: Tensor, options?: GeluOptions): Tensor {
  expectTensor("gelu", x);
  const { approximate = "none" } = checkOptions("gelu", options, GELU_KEYS);
  if (approximate !== "none" && approximate !== "tanh") {
    throw new Error(`gelu: approximate must be "none" or "tanh", got ${JSON.stringify(approximate)}`);
  }
  return run("gelu", [x], { approximate });
}
