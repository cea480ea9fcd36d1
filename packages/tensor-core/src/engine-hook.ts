/**
 * The one seam between tensor-core and @heed/autograd. tensor-core knows nothing about
 * gradients beyond the three fields on `Tensor` (requiresGrad, grad, gradFn); after
 * every op it hands (op, inputs, attrs, output) to the installed engine, if any input
 * requires a gradient. @heed/autograd installs its engine when it is imported.
 */
import type { OpAttrs, OpName } from "./registry.js";
import type { Tensor } from "./tensor.js";

export interface BackwardOptions {
  /** Keep the graph so that backward can run through it again (PyTorch's retain_graph). */
  retainGraph?: boolean;
}

export interface AutogradEngine {
  /** false inside noGrad(): ops are not recorded. */
  isRecording(): boolean;
  record<P extends OpName>(op: P, inputs: readonly Tensor[], attrs: OpAttrs[P], output: Tensor): void;
  backward(root: Tensor, grad: Tensor | undefined, options: BackwardOptions): void;
}

let engine: AutogradEngine | null = null;

export function setAutogradEngine(e: AutogradEngine | null): void {
  engine = e;
}

export function getAutogradEngine(): AutogradEngine | null {
  return engine;
}
