import type { OpName } from "@heed/tensor-core";
import { binaryRules } from "./binary.js";
import { linalgRules } from "./linalg.js";
import { movementRules } from "./movement.js";
import { reduceRules } from "./reduce.js";
import type { RulesFor } from "./types.js";
import { unaryRules } from "./unary.js";

export { nonDifferentiable, type NonDifferentiable, type Rule, type RulesFor, type InputsOf } from "./types.js";

/**
 * The gradient rule of every tensor-core op. A mapped type over `OpName`: an op added to
 * the registry without a rule (or an explicit `nonDifferentiable`) is a build error.
 */
export const rules: RulesFor<OpName> = {
  ...unaryRules,
  ...binaryRules,
  ...reduceRules,
  ...movementRules,
  ...linalgRules,
};
