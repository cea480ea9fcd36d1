import type { AttentionProblem } from "./attention-kernel.js";

/** Query rows and key columns processed together: the K/V block stays in cache across rows. */
export const BLOCK_L = 16;
export const BLOCK_S = 64;

/**
 * The scores of problem `b` for query rows i0..i0+rows and keys j0..j0+cols into
 * `tile[r·cols + c]` (float64): scale·(q_i·k_j) + bias_ij, −∞ where a bool mask is 0 or the
 * causal mask hides key j from row i (j > i).
 */
export function scoreTile(p: AttentionProblem, b: number, i0: number, rows: number, j0: number, cols: number, tile: Float64Array): void {
  const { q, k, E, scale, mask } = p;
  const qo = p.qOffsets[b]!;
  const ko = p.kOffsets[b]!;
  for (let r = 0; r < rows; r++) {
    const qi = qo + (i0 + r) * E;
    for (let c = 0; c < cols; c++) {
      const kj = ko + (j0 + c) * E;
      let dot = 0;
      for (let e = 0; e < E; e++) dot += q[qi + e]! * k[kj + e]!;
      tile[r * cols + c] = scale * dot;
    }
  }
  if (mask !== null) {
    const { data, strideL, strideS } = mask;
    const mo = mask.offsets[b]!;
    const isBool = mask.kind === "bool";
    for (let r = 0; r < rows; r++) {
      const row = mo + (i0 + r) * strideL + j0 * strideS;
      for (let c = 0; c < cols; c++) {
        const x = data[row + c * strideS]!;
        if (isBool) {
          if (x === 0) tile[r * cols + c] = -Infinity;
        } else {
          tile[r * cols + c]! += x;
        }
      }
    }
  }
  if (p.causal) {
    for (let r = 0; r < rows; r++) {
      for (let c = Math.max(0, i0 + r + 1 - j0); c < cols; c++) tile[r * cols + c] = -Infinity;
    }
  }
}

/** Address of mask entry (b, i, j), for accumulating the mask's gradient. */
export function maskIndex(p: AttentionProblem, b: number, i: number, j: number): number {
  const m = p.mask!;
  return m.offsets[b]! + i * m.strideL + j * m.strideS;
}
