import { formatShape, reshape, shapesEqual, sum, type Shape, type Tensor } from "@heed/tensor-core";

/**
 * The ONE place where broadcasting is undone: sum `g` over the dimensions that
 * broadcasting added (leading dims) or stretched (size-1 dims of `shape`), giving a
 * tensor of exactly `shape`. Returns `g` itself when the shapes already match.
 * Throws (naming `who`) if `g` could not have come from broadcasting `shape`.
 *
 * @example
 * sumToShape(ones([4, 2, 3]), [2, 1], "mul").toArray(); // [[12], [12]]
 */
export function sumToShape(g: Tensor, shape: Shape, who: string): Tensor {
  if (shapesEqual(g.shape, shape)) return g;
  const lead = g.rank - shape.length;
  const axes: number[] = [];
  let ok = lead >= 0;
  for (let i = 0; ok && i < g.rank; i++) {
    if (i < lead) axes.push(i);
    else if (shape[i - lead] === 1 && g.shape[i] !== 1) axes.push(i);
    else ok = shape[i - lead] === g.shape[i];
  }
  if (!ok) throw new Error(`${who}: gradient of shape ${formatShape(g.shape)} cannot be reduced to the input shape ${formatShape(shape)}`);
  return reshape(sum(g, axes, true), shape);
}
