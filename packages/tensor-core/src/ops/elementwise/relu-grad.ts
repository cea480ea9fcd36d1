/** reluGrad: the backward of relu as one primitive (no bool temporary, one pass). */
import { run } from "../../dispatch.js";
import { isFloat } from "../../dtype.js";
import { formatShape, shapesEqual } from "../../shape.js";
import type { Tensor } from "../../tensor.js";
import { expectTensor } from "./convert.js";

/**
 * g where x > 0, else 0 (also where x is NaN): the gradient of relu(x) for the upstream
 * gradient g, i.e. `where(greater(x, 0), g, 0)` in one pass. g is a float tensor, x has
 * g's shape (any dtype); the result has g's shape and dtype.
 *
 * @example reluGrad(tensor([1, 2, 3]), tensor([-1, 0, 5])) // [0, 0, 3]
 */
export function reluGrad(g: Tensor, x: Tensor): Tensor {
  expectTensor("reluGrad", g, "g");
  expectTensor("reluGrad", x, "x");
  if (!isFloat(g.dtype)) throw new Error(`reluGrad: g must be a float tensor, got dtype '${g.dtype}' (g: ${formatShape(g.shape)}, x: ${formatShape(x.shape)})`);
  if (!shapesEqual(g.shape, x.shape)) throw new Error(`reluGrad: g and x must have one shape, got g: ${formatShape(g.shape)} and x: ${formatShape(x.shape)}`);
  return run("reluGrad", [g, x], {});
}
