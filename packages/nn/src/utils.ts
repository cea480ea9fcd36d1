import { checkOptions, describeValue } from "@heed/tensor-core";
import { Module } from "./module/module.js";

/**
 * Number of parameter elements in a module (shared parameters counted once).
 *
 * @example
 * countParameters(new Linear(4, 2));   // 10
 */
export function countParameters(module: Module, options?: { trainableOnly?: boolean }): number {
  const { trainableOnly = false } = checkOptions("countParameters", options, { trainableOnly: true });
  if (!(module instanceof Module)) throw new Error(`countParameters: expected a Module, got ${describeValue(module)}`);
  return module.numParameters({ trainableOnly });
}
