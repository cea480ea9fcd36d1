import { layoutOf, type AttentionBackwardKernel } from "./attention-kernel.js";
import { allocLike } from "./float-array.js";
import { addRows, allocScratch, BLOCK_L, BLOCK_S, loadProblem, loadRows, maskIndex, scoreTile } from "./attention-scores.js";
import { accumulate, dotTile } from "./attention-tiles.js";
import { dropoutFactor } from "./dropout-hash.js";

/**
 * Reference memory-efficient attention backward (FlashAttention-2, Algorithm 2): the
 * weights are recomputed tile by tile as P_ij = exp(s_ij − logsumexp_i), so nothing of
 * size L·S is stored. With P̃ = P ∘ dropout and δ_i = Σ_e dO_ie·O_ie:
 *   dV_j += P̃_ij dO_i,  dP_ij = dropout_ij (dO_i · v_j),  dS_ij = P_ij (dP_ij − δ_i),
 *   dQ_i += scale·dS_ij k_j,  dK_j += scale·dS_ij q_i,  dMask_ij += dS_ij.
 * Extra memory: O((L + S)·D) float64 copies and accumulators for one problem, plus three tiles.
 */
export const attentionBackwardReference: AttentionBackwardKernel = (p) => {
  const { batch, L, S, E, Ev, out, logsumexp, gradOut, scale, causal, dropout, mask } = p;
  const dq = allocLike(p.q, p.q.length);
  const dk = allocLike(p.q, p.k.length);
  const dv = allocLike(p.q, p.v.length);
  const dmask = p.wantMaskGrad && mask !== null && mask.kind === "float" ? allocLike(p.q, mask.data.length) : null;
  const scratch = allocScratch(p);
  const { q, k, v } = scratch; // q holds scale·q, so dS·q is already dK's scale·dS·q
  const layout = layoutOf(p);
  const go = new Float64Array(L * Ev);
  const o = new Float64Array(L * Ev);
  const P = new Float64Array(BLOCK_L * BLOCK_S);
  const Pf = dropout === null ? P : new Float64Array(BLOCK_L * BLOCK_S);
  const dS = new Float64Array(BLOCK_L * BLOCK_S);
  const delta = new Float64Array(L);
  const dqAcc = new Float64Array(L * E);
  const dkAcc = new Float64Array(BLOCK_S * E);
  const dvAcc = new Float64Array(BLOCK_S * Ev);
  for (let b = 0; b < batch; b++) {
    loadProblem(p, b, scratch, layout);
    loadRows(gradOut, layout.outOffsets[b]!, layout.outRow, L, Ev, go);
    loadRows(out, layout.outOffsets[b]!, layout.outRow, L, Ev, o);
    for (let i = 0; i < L; i++) {
      let d = 0;
      for (let e = 0; e < Ev; e++) d += go[i * Ev + e]! * o[i * Ev + e]!;
      delta[i] = d;
    }
    dqAcc.fill(0);
    for (let j0 = 0; j0 < S; j0 += BLOCK_S) {
      const cols = Math.min(BLOCK_S, S - j0);
      dkAcc.fill(0);
      dvAcc.fill(0);
      // Causal: rows i < j0 see none of these keys.
      for (let i0 = causal ? j0 : 0; i0 < L; i0 += BLOCK_L) {
        const rows = Math.min(BLOCK_L, L - i0);
        scoreTile(p, scratch, b, i0, rows, j0, cols, P);
        dotTile(go, i0, v, j0, rows, cols, Ev, dS); // dP̃ = dO · Vᵀ
        for (let r = 0; r < rows; r++) {
          const i = i0 + r;
          const lse = logsumexp[b * L + i]!;
          for (let c = 0; c < cols; c++) {
            const t = r * cols + c;
            // A fully masked row (lse = −∞) has output 0 and gradients 0.
            const w = lse === -Infinity ? 0 : Math.exp(P[t]! - lse);
            const f = dropout === null ? 1 : dropoutFactor(dropout.seed, b * L + i, j0 + c, dropout.p);
            P[t] = w;
            if (dropout !== null) Pf[t] = w * f;
            dS[t] = w * (f * dS[t]! - delta[i]!);
            if (dmask !== null && w !== 0) dmask[maskIndex(p, b, i, j0 + c)]! += dS[t];
          }
        }
        accumulate(dvAcc, 0, Pf, 1, cols, go, i0, cols, rows, Ev); // dV += P̃ᵀ · dO
        accumulate(dkAcc, 0, dS, 1, cols, q, i0, cols, rows, E); // dK += dSᵀ · (scale·Q)
        accumulate(dqAcc, i0, dS, cols, 1, k, j0, rows, cols, E, scale); // dQ += scale · dS · K
      }
      addRows(dk, p.kOffsets[b]! + j0 * layout.kRow, layout.kRow, cols, E, dkAcc);
      addRows(dv, p.vOffsets[b]! + j0 * layout.vRow, layout.vRow, cols, Ev, dvAcc);
    }
    addRows(dq, p.qOffsets[b]!, layout.qRow, L, E, dqAcc);
  }
  return { dq, dk, dv, dmask };
};
