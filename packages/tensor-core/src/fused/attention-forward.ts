import { layoutOf, type AttentionForwardKernel } from "./attention-kernel.js";
import { allocLike } from "./float-array.js";
import { allocScratch, BLOCK_L, BLOCK_S, loadProblem, scoreTile } from "./attention-scores.js";
import { accumulate } from "./attention-tiles.js";
import { dropoutFactor } from "./dropout-hash.js";

/**
 * Reference memory-efficient attention forward (FlashAttention-style online softmax):
 * for each block of BLOCK_L query rows, walk the keys in blocks of BLOCK_S keeping a
 * running max m, running sum l and unnormalised output acc per row, rescaling by
 * exp(m_old − m_new) when the max grows. Extra memory is O((L + S)·D) (float64 copies of
 * one problem) plus one tile, independent of L·S. Dao et al., "FlashAttention", 2022, Algorithm 1.
 */
export const attentionForwardReference: AttentionForwardKernel = (p) => {
  const { batch, L, S, Ev, causal, dropout } = p;
  const scratch = allocScratch(p);
  const v = scratch.v;
  const layout = layoutOf(p);
  const out = allocLike(p.q, layout.outLength);
  const logsumexp = allocLike(p.q, batch * L);
  const tile = new Float64Array(BLOCK_L * BLOCK_S);
  const m = new Float64Array(BLOCK_L);
  const l = new Float64Array(BLOCK_L);
  const acc = new Float64Array(BLOCK_L * Ev);
  for (let b = 0; b < batch; b++) {
    loadProblem(p, b, scratch, layout);
    for (let i0 = 0; i0 < L; i0 += BLOCK_L) {
      const rows = Math.min(BLOCK_L, L - i0);
      m.fill(-Infinity);
      l.fill(0);
      acc.fill(0);
      // Causal: the last row of the block sees keys j <= i0 + rows - 1.
      const sEnd = causal ? Math.min(S, i0 + rows) : S;
      for (let j0 = 0; j0 < sEnd; j0 += BLOCK_S) {
        const cols = Math.min(BLOCK_S, sEnd - j0);
        scoreTile(p, scratch, b, i0, rows, j0, cols, tile);
        for (let r = 0; r < rows; r++) {
          let mx = m[r]!;
          for (let c = 0; c < cols; c++) mx = Math.max(mx, tile[r * cols + c]!);
          if (mx === -Infinity) {
            tile.fill(0, r * cols, (r + 1) * cols); // every key so far is masked for this row
            continue;
          }
          const alpha = Math.exp(m[r]! - mx);
          const a = r * Ev;
          if (alpha !== 1) for (let e = 0; e < Ev; e++) acc[a + e]! *= alpha;
          let sum = l[r]! * alpha;
          const t = r * cols;
          for (let c = 0; c < cols; c++) {
            let w = Math.exp(tile[t + c]! - mx);
            sum += w;
            if (dropout !== null) w *= dropoutFactor(dropout.seed, b * L + i0 + r, j0 + c, dropout.p);
            tile[t + c] = w;
          }
          l[r] = sum;
          m[r] = mx;
        }
        accumulate(acc, 0, tile, cols, 1, v, j0, rows, cols, Ev); // acc += weights · V block
      }
      for (let r = 0; r < rows; r++) {
        const row = b * L + i0 + r;
        const sum = l[r]!;
        logsumexp[row] = sum > 0 ? m[r]! + Math.log(sum) : -Infinity;
        const inv = sum > 0 ? 1 / sum : 0; // a fully masked row gives 0, not NaN
        const o = layout.outOffsets[b]! + (i0 + r) * layout.outRow;
        for (let e = 0; e < Ev; e++) out[o + e] = acc[r * Ev + e]! * inv;
      }
    }
  }
  return { out, logsumexp };
};

