import { describeValue, Tensor } from "@heed/tensor-core";

/**
 * Reset the accumulated gradients (`.grad = null`) of `tensors`, as before each
 * training step (torch's `optimizer.zero_grad(set_to_none=True)`).
 *
 * @example
 * zeroGrad([w, b]);
 * loss(w, b).backward(); // w.grad, b.grad hold this step's gradients only
 */
export function zeroGrad(tensors: Iterable<Tensor>): void {
  const iterable = typeof tensors === "object" && tensors !== null && typeof (tensors as Partial<Iterable<unknown>>)[Symbol.iterator] === "function";
  const list: unknown[] | null = iterable ? [...(tensors as Iterable<unknown>)] : null;
  const bad = list === null ? -1 : list.findIndex((t) => !(t instanceof Tensor));
  if (list === null || bad >= 0) {
    const hint = typeof (tensors as { parameters?: unknown } | null)?.parameters === "function" ? " — did you mean model.parameters()?" : "";
    throw new Error(`zeroGrad: expected a list of tensors, got ${list === null ? describeValue(tensors) : `${describeValue(list[bad])} at entry ${bad}`}${hint}`);
  }
  for (const t of list as Tensor[]) t.grad = null;
}
