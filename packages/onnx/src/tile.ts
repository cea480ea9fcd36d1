import { allocate, stridesOf, Tensor } from "@heed/tensor-core";

/**
 * `t` grown to `shape` by tiling: element i along each axis is element i mod n of the original,
 * so token ids stay valid and masks keep their pattern. Used to trace the second, larger run.
 */
export function tile(t: Tensor, shape: readonly number[]): Tensor {
  const out = allocate(t.dtype, shape.reduce((a, b) => a * b, 1));
  const from = stridesOf(t.shape);
  const to = stridesOf(shape);
  for (let i = 0; i < out.length; i++) {
    let src = 0;
    for (let d = 0; d < shape.length; d++) src += (Math.floor(i / to[d]!) % shape[d]! % t.shape[d]!) * from[d]!;
    out[i] = t.data[src]!;
  }
  return new Tensor(out, shape, t.dtype);
}
