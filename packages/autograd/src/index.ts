/**
 * @heed/autograd — reverse-mode automatic differentiation for every @heed/tensor-core op.
 * Importing this package installs the engine into tensor-core (the one side effect), so
 * `tensor.backward()` works and ops on tensors that require gradients are recorded.
 */
import { setAutogradEngine } from "@heed/tensor-core";
import { engine } from "./engine.js";

setAutogradEngine(engine);

export { engine };
export { noGrad, enableGrad, isGradEnabled } from "./mode.js";
export { grad, valueAndGrad, vjp } from "./functional.js";
export { gradCheck, type GradCheckOptions, type GradCheckResult } from "./grad-check.js";
export { customVjp, type CustomForwardResult, type CustomVjpOptions } from "./custom-vjp.js";
export { zeroGrad } from "./zero-grad.js";
export { releaseActivations, type ReleaseActivationsOptions } from "./release-activations.js";
export { rules, nonDifferentiable, type Rule, type RulesFor, type InputsOf, type NonDifferentiable } from "./rules/index.js";
export { sumToShape } from "./unbroadcast.js";
