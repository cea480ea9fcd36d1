import { kernelFor } from "./backend/registry.js";
import { getAutogradEngine } from "./engine-hook.js";
import type { OpAttrs, OpName } from "./registry.js";
import type { Tensor } from "./tensor.js";

/**
 * Run a primitive op on validated inputs: call the active backend's kernel, then let
 * the autograd engine (if installed and recording) record the op when any input
 * requires a gradient. Every public op function ends here.
 */
export function run<P extends OpName>(op: P, inputs: readonly Tensor[], attrs: OpAttrs[P]): Tensor {
  const out = kernelFor(op)(inputs, attrs);
  const engine = getAutogradEngine();
  if (engine !== null && inputs.some((t) => t.requiresGrad) && engine.isRecording()) {
    engine.record(op, inputs, attrs, out);
  }
  return out;
}
