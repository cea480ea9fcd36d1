import type { AttentionLayout, AttentionProblem } from "./attention-kernel.js";
import type { FloatArray } from "./float-array.js";
import { dotTile } from "./attention-tiles.js";

/** Query rows and key columns processed together: the K/V block stays in cache across rows. */
export const BLOCK_L = 32;
export const BLOCK_S = 64;

/** One problem's q (already multiplied by scale), k and v copied into float64 scratch. */
export interface ProblemScratch {
  q: Float64Array;
  k: Float64Array;
  v: Float64Array;
}

export function allocScratch(p: AttentionProblem): ProblemScratch {
  return { q: new Float64Array(p.L * p.E), k: new Float64Array(p.S * p.E), v: new Float64Array(p.S * p.Ev) };
}

/**
 * Copy problem b into the scratch: one monomorphic float64 array per operand keeps the inner
 * loops fast whatever the storage type (Float32Array or Float64Array). O((L + S)·D) memory.
 */
export function loadProblem(p: AttentionProblem, b: number, s: ProblemScratch, layout: AttentionLayout): void {
  const { L, S, E, Ev, scale } = p;
  const qo = p.qOffsets[b]!;
  for (let i = 0; i < L; i++) for (let e = 0; e < E; e++) s.q[i * E + e] = p.q[qo + i * layout.qRow + e]! * scale;
  loadRows(p.k, p.kOffsets[b]!, layout.kRow, S, E, s.k);
  loadRows(p.v, p.vOffsets[b]!, layout.vRow, S, Ev, s.v);
}

/** dst[r·width + e] = src[offset + r·stride + e] for r < rows, e < width. */
export function loadRows(src: FloatArray, offset: number, stride: number, rows: number, width: number, dst: Float64Array): void {
  for (let r = 0; r < rows; r++) dst.set(src.subarray(offset + r * stride, offset + r * stride + width), r * width);
}

/** dst[offset + r·stride + e] += src[r·width + e] for r < rows, e < width. */
export function addRows(dst: FloatArray, offset: number, stride: number, rows: number, width: number, src: Float64Array): void {
  for (let r = 0; r < rows; r++) for (let e = 0; e < width; e++) dst[offset + r * stride + e]! += src[r * width + e]!;
}

/**
 * tile[r·cols + c] = (scale·q_i)·k_j for rows i0..i0+rows and keys j0..j0+cols, then the bias:
 * + a float mask, −∞ where a bool mask is 0 or the causal mask hides key j from row i (j > i).
 */
export function scoreTile(p: AttentionProblem, s: ProblemScratch, b: number, i0: number, rows: number, j0: number, cols: number, tile: Float64Array): void {
  dotTile(s.q, i0, s.k, j0, rows, cols, p.E, tile);
  const { mask } = p;
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
