import { run } from "../../dispatch.js";
import { formatShape } from "../../shape.js";
import type { Tensor } from "../../tensor.js";
import { expectTensor } from "./convert.js";

function checkBound(name: string, b: unknown): number | null {
  if (b === undefined || b === null) return null;
  if (typeof b !== "number") throw new Error(`clamp: ${name} must be a number, null or undefined, got ${typeof b}`);
  return b;
}

/**
 * torch.clamp: min(max(x, min), max); a null/undefined bound is not applied, NaN stays NaN,
 * and min > max gives max everywhere. Float dtypes are kept; int32/bool give int32 with
 * integer bounds and float32 otherwise.
 * @example clamp(tensor([-2, 0.5, 3]), 0, 1) // [0, 0.5, 1]
 * @example clamp(x, null, 6) // relu6 without the lower bound
 */
export function clamp(x: Tensor, min?: number | null, max?: number | null): Tensor {
  expectTensor("clamp", x);
  const lo = checkBound("min", min);
  const hi = checkBound("max", max);
  if (lo === null && hi === null) {
    throw new Error(`clamp: at least one of min and max must be given (x shape ${formatShape(x.shape)})`);
  }
  return run("clamp", [x], { min: lo, max: hi });
}
