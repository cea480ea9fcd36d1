/**
 * Binary arithmetic with NumPy broadcasting and PyTorch type promotion
 * (bool < int32 < float32 < float64; a JS number does not promote a float tensor).
 */
import type { TensorLike } from "../../create.js";
import { isFloat, promote } from "../../dtype.js";
import { run } from "../../dispatch.js";
import type { BinaryOp } from "../../registry.js";
import { broadcastShapes, formatShape } from "../../shape.js";
import type { Tensor } from "../../tensor.js";
import { describeTensor, toTensors } from "./convert.js";

/** Convert, check that the shapes broadcast (the error names the op and both shapes), dispatch. */
export function binary(op: BinaryOp, a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = toTensors(op, a, b);
  broadcastShapes(op, x.shape, y.shape);
  return run(op, [x, y], {});
}

/** a + b. @example add(x, bias) // [B,L,E] + [E] -> [B,L,E] */
export const add = (a: TensorLike, b: TensorLike): Tensor => binary("add", a, b);

/** a - b (two bool tensors are rejected, as in PyTorch: use logicalXor). @example sub(x, 1) */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = toTensors("sub", a, b);
  if (x.dtype === "bool" && y.dtype === "bool") {
    throw new Error(`sub: subtracting two bool tensors is not supported (shapes ${formatShape(x.shape)} and ${formatShape(y.shape)}); use logicalXor`);
  }
  return binary("sub", x, y);
}

/** a · b. @example mul(x, mask) // [B,L,E] * [B,L,1] */
export const mul = (a: TensorLike, b: TensorLike): Tensor => binary("mul", a, b);
/** a / b, true division (int32 and bool inputs give float32). @example div(tensor([1, 3], undefined, "int32"), 2) // [0.5, 1.5] */
export const div = (a: TensorLike, b: TensorLike): Tensor => binary("div", a, b);
/**
 * a^b with JS Math.pow semantics: a negative base with an integer exponent works, with a
 * non-integer exponent gives NaN (as torch.pow). With int32/bool base and exponent the
 * result is int32 and negative exponents are rejected, as in PyTorch.
 * @example pow(tensor([-2, 4]), 2) // [4, 16]
 */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = toTensors("pow", a, b);
  if (!isFloat(promote(x.dtype, y.dtype))) {
    const negative = y.data.find((v) => v < 0);
    if (negative !== undefined) {
      throw new Error(`pow: integers to negative integer powers are not allowed (base ${describeTensor(x)}, exponent ${describeTensor(y)} contains ${negative}); cast the base to float32 first`);
    }
  }
  return binary("pow", x, y);
}

/** Elementwise max; NaN propagates (torch.maximum). @example maximum(x, 0) */
export const maximum = (a: TensorLike, b: TensorLike): Tensor => binary("maximum", a, b);
/** Elementwise min; NaN propagates (torch.minimum). @example minimum(x, 1) */
export const minimum = (a: TensorLike, b: TensorLike): Tensor => binary("minimum", a, b);
