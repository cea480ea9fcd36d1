import { checkOptions, describeValue, expectBoolean, formatShape, isFloat, Tensor, type OptionKeys } from "@heed/tensor-core";
import { attach } from "./engine.js";
import { isGradEnabled, noGrad } from "./mode.js";

/** What a custom forward returns: the output and whatever its backward needs. */
export interface CustomForwardResult<S> {
  output: Tensor;
  saved: S;
}

export interface CustomVjpOptions {
  /**
   * Whether `backward` may keep — after it returns, in a closure, a cache or `saved` — the
   * `gradOutput` it receives, the gradients it returns or any tensor it creates. Default true.
   * false promises it keeps none of them, which lets backward() reuse their storage for later
   * gradients of the same pass (fewer fresh arrays per step; the engine's own rules and
   * @heed/nn's fused ops promise it). Never set it for a backward that keeps one: its values
   * would be overwritten.
   */
  keepsGradients?: boolean;
  /**
   * Whether anything but this op's backward may hold the tensors and float arrays in `saved`
   * (a cache, a module, the caller). Default true. false promises that forward made them for
   * backward alone, so inside `releaseActivations` their storage is reused for the next step
   * once backward has run (a tensor, an array, or the values of an object or list, one level deep).
   */
  keepsSaved?: boolean;
}

const KEYS: OptionKeys<CustomVjpOptions> = { keepsGradients: true, keepsSaved: true };

/**
 * A function with a hand-written gradient (jax.custom_vjp / torch.autograd.Function).
 * `forward(...inputs)` runs with recording off and returns `{ output, saved }`;
 * `backward(saved, gradOutput, inputs, needsGrad)` returns one gradient per input (or
 * null), each of the input's shape or broadcastable to it. The returned function
 * records ONE node, so the forward's intermediates are not kept on the tape: only
 * `saved` is (this is how memory-efficient attention recomputes instead of storing).
 *
 * @example
 * const square = customVjp(
 *   (x: Tensor) => ({ output: mul(x, x), saved: x }),
 *   (x, g) => [mul(g, mul(x, 2))],
 * );
 */
export function customVjp<S>(
  forward: (...inputs: Tensor[]) => CustomForwardResult<S>,
  backward: (saved: S, gradOutput: Tensor, inputs: readonly Tensor[], needsGrad: readonly boolean[]) => readonly (Tensor | null)[],
  name: string = forward.name || "anonymous",
  options?: CustomVjpOptions,
): (...inputs: Tensor[]) => Tensor {
  if (typeof forward !== "function") throw new Error(`customVjp: expected 'forward' to be a function returning { output, saved }, got ${describeValue(forward)}`);
  if (typeof backward !== "function") throw new Error(`customVjp: expected 'backward' to be a function (saved, gradOutput, inputs, needsGrad) => gradients, got ${describeValue(backward)}`);
  const label = `customVjp(${name})`;
  const { keepsGradients = true, keepsSaved = true } = checkOptions(label, options, KEYS);
  expectBoolean(label, "keepsGradients", keepsGradients);
  expectBoolean(label, "keepsSaved", keepsSaved);
  return (...inputs: Tensor[]) => {
    const result = noGrad(() => forward(...inputs));
    if (!(result?.output instanceof Tensor)) throw new Error(`${label}: forward must return { output: Tensor, saved }, got ${typeof result}`);
    let output = result.output;
    if (!isGradEnabled() || !isFloat(output.dtype) || !inputs.some((t) => t.requiresGrad)) return output;
    if (output.requiresGrad) output = output.detach(); // forward returned an existing tensor (an input, a parameter): never re-parent it
    const saved = result.saved;
    attach(label, inputs, saved, output, (g, ins, _out, _attrs, needsGrad) => {
      const grads = backward(saved, g, ins, needsGrad);
      if (grads.length !== ins.length) {
        throw new Error(`${label}: backward returned ${grads.length} gradients for ${ins.length} inputs (${ins.map((t) => formatShape(t.shape)).join(", ")})`);
      }
      return grads;
    }, keepsGradients, keepsSaved);
    return output;
  };
}
