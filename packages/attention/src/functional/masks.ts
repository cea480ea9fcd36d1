import { allocate, dropoutFactor, sizeOf, Tensor, type DType } from "@heed/tensor-core";
import type { AttentionSpec } from "./validate.js";

/** tril(ones(L, S)) as a bool "takes part" mask: key j is visible to query i iff j <= i (top-left aligned). */
export function causalMask(L: number, S: number): Tensor {
  const data = allocate("bool", L * S);
  for (let i = 0; i < L; i++) for (let j = 0; j <= Math.min(i, S - 1); j++) data[i * S + j] = 1;
  return new Tensor(data, [L, S], "bool");
}

/**
 * The rows of `mask` (bool TRUE = takes part, or float added) in which every key is hidden,
 * as a bool tensor of the mask's shape with the last dim 1; null when there is none. Read
 * from the (small, broadcast) mask, never from the [..., L, S] scores.
 */
export function deadRows(mask: Tensor): Tensor | null {
  const S = mask.shape[mask.rank - 1] ?? 1;
  const rows = S === 0 ? 0 : mask.size / S;
  const dead = allocate("bool", rows);
  let any = false;
  for (let r = 0; r < rows; r++) {
    let open = false;
    for (let j = 0; j < S && !open; j++) {
      const x = mask.data[r * S + j]!;
      open = mask.dtype === "bool" ? x !== 0 : x !== -Infinity;
    }
    dead[r] = open ? 0 : 1;
    any ||= !open;
  }
  return any ? new Tensor(dead, [...mask.shape.slice(0, -1), 1], "bool") : null;
}

/**
 * The dropout factors [...batchShape, L, S] (0 = dropped, 1/(1−p) = kept) that the fused
 * kernels regenerate on the fly: the same seed gives the same mask in both implementations.
 */
export function dropoutFactors(spec: AttentionSpec, dtype: DType): Tensor {
  const { batchShape, L, S, dropoutP: p, dropoutSeed: seed } = spec;
  const batch = sizeOf(batchShape);
  const data = allocate(dtype, batch * L * S);
  for (let row = 0; row < batch * L; row++) {
    for (let j = 0; j < S; j++) data[row * S + j] = dropoutFactor(seed, row, j, p);
  }
  return new Tensor(data, [...batchShape, L, S], dtype);
}
