/** Argument checks and scalar conversion shared by the elementwise ops. */
import { asTensor, type TensorLike } from "../../create.js";
import { formatShape } from "../../shape.js";
import { Tensor } from "../../tensor.js";

function describe(x: unknown): string {
  return x === null ? "null" : Array.isArray(x) ? "an array (wrap it with tensor())" : typeof x;
}

/** `x` must be a Tensor; the error names the op and the argument. */
export function expectTensor(op: string, x: unknown, name = "x"): Tensor {
  if (!(x instanceof Tensor)) throw new Error(`${op}: expected '${name}' to be a Tensor, got ${describe(x)}`);
  return x;
}

function expectLike(op: string, x: unknown, name: string): TensorLike {
  if (x instanceof Tensor || typeof x === "number" || typeof x === "boolean") return x;
  throw new Error(`${op}: expected '${name}' to be a Tensor, number or boolean, got ${describe(x)}`);
}

/**
 * Both operands as tensors. A JS number takes the dtype of the tensor beside it when that
 * is a float (PyTorch: a Python scalar does not promote float32), int32 next to an int/bool
 * tensor if it is an integer, float32 otherwise.
 */
export function toTensors(op: string, a: unknown, b: unknown): [Tensor, Tensor] {
  const x = expectLike(op, a, "a");
  const y = expectLike(op, b, "b");
  if (x instanceof Tensor) return [x, asTensor(y, x)];
  if (y instanceof Tensor) return [asTensor(x, y), y];
  const t = asTensor(x);
  return [t, asTensor(y, t)];
}

/** "[2,3] (float32)" for error messages. */
export function describeTensor(t: Tensor): string {
  return `${formatShape(t.shape)} (${t.dtype})`;
}
