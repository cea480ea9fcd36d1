import { describeValue, Tensor } from "@heed/tensor-core";

/**
 * `x` must be a Tensor: the error names `fn`, the argument and what came instead (an array is
 * told to go through `tensor()`), not a TypeError from inside the op.
 */
export function tensorArg(fn: string, name: string, x: unknown): Tensor {
  if (!(x instanceof Tensor)) throw new Error(`${fn}: expected '${name}' to be a Tensor, got ${describeValue(x)}${Array.isArray(x) ? " (wrap it with tensor())" : ""}`);
  return x;
}
