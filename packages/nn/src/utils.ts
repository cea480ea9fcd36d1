import type { Module } from "./module/module.js";

/**
 * Number of parameter elements in a module (shared parameters counted once).
 *
 * @example
 * countParameters(new Linear(4, 2));   // 10
 */
export function countParameters(module: Module, { trainableOnly = false }: { trainableOnly?: boolean } = {}): number {
  return module.numParameters({ trainableOnly });
}
