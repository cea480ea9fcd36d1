import { cast, concat, expand, permute, reshape, slice, split, zeros, type Tensor } from "@heed/tensor-core";

/** Rows start..end of a weight [n, in] or a bias [n]. */
export function rows(t: Tensor | null, start: number, end: number): Tensor | null {
  return t === null ? null : slice(t, [start], [end]);
}

/** [B, N, n·H·D] → n tensors [B, H, N, D] with one permute (n = 1, 2 or 3 packed projections). */
export function splitHeads(x: Tensor, n: number, H: number): Tensor[] {
  const [B, N, width] = x.shape as [number, number, number];
  const D = width / (n * H);
  const packed = permute(reshape(x, [B, N, n, H, D]), [2, 0, 3, 1, 4]); // [n, B, H, N, D]
  if (n === 1) return [reshape(packed, [B, H, N, D])];
  return split(packed, 1, 0).map((t) => reshape(t, [B, H, N, D]));
}

/** [B, H, N, D] with `row` [1, 1, E] appended as one more position per batch and head → [B, H, N + 1, D]. */
export function appendRow(x: Tensor, row: Tensor | null): Tensor {
  const [B, H, , D] = x.shape as [number, number, number, number];
  const r = row === null || row.dtype === x.dtype ? row : cast(row, x.dtype);
  const extra = r === null ? zeros([B, H, 1, D], x.dtype) : expand(reshape(r, [1, H, 1, D]), [B, H, 1, D]);
  return concat([x, extra], 2);
}
