import type { Tensor } from "@heed/tensor-core";

/**
 * Reset the accumulated gradients (`.grad = null`) of `tensors`, as before each
 * training step (torch's `optimizer.zero_grad(set_to_none=True)`).
 *
 * @example
 * zeroGrad([w, b]);
 * loss(w, b).backward(); // w.grad, b.grad hold this step's gradients only
 */
export function zeroGrad(tensors: Iterable<Tensor>): void {
  for (const t of tensors) t.grad = null;
}
