import { allocLike, type AttentionBackwardKernel } from "./attention-kernel.js";
import { BLOCK_L, BLOCK_S, maskIndex, scoreTile } from "./attention-scores.js";
import { dropoutFactor } from "./dropout-hash.js";

/**
 * Reference memory-efficient attention backward (FlashAttention-2, Algorithm 2): the
 * weights are recomputed block by block as P_ij = exp(s_ij − logsumexp_i), so nothing of
 * size L·S is stored. With P̃ = P ∘ dropout and δ_i = Σ_e dO_ie·O_ie:
 *   dV_j += P̃_ij dO_i,  dP_ij = dropout_ij (dO_i · v_j),  dS_ij = P_ij (dP_ij − δ_i),
 *   dQ_i += scale·dS_ij k_j,  dK_j += scale·dS_ij q_i,  dMask_ij += dS_ij.
 * Extra memory: O(L·E) for dQ and δ plus one key block.
 */
export const attentionBackwardReference: AttentionBackwardKernel = (p) => {
  const { batch, L, S, E, Ev, q, k, v, out, logsumexp, gradOut, scale, causal, dropout, mask } = p;
  const dq = allocLike(q, q.length);
  const dk = allocLike(q, k.length);
  const dv = allocLike(q, v.length);
  const dmask = p.wantMaskGrad && mask !== null && mask.kind === "float" ? allocLike(q, mask.data.length) : null;
  const tile = new Float64Array(BLOCK_L * BLOCK_S);
  const delta = new Float64Array(L);
  const dqAcc = new Float64Array(L * E);
  const dkAcc = new Float64Array(BLOCK_S * E);
  const dvAcc = new Float64Array(BLOCK_S * Ev);
  for (let b = 0; b < batch; b++) {
    const qo = p.qOffsets[b]!;
    const ko = p.kOffsets[b]!;
    const vo = p.vOffsets[b]!;
    for (let i = 0; i < L; i++) {
      let d = 0;
      for (let e = 0; e < Ev; e++) d += gradOut[(b * L + i) * Ev + e]! * out[(b * L + i) * Ev + e]!;
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
        scoreTile(p, b, i0, rows, j0, cols, tile);
        for (let r = 0; r < rows; r++) {
          const i = i0 + r;
          const lse = logsumexp[b * L + i]!;
          if (lse === -Infinity) continue; // fully masked row: output 0, gradients 0
          const go = (b * L + i) * Ev;
          const qi = qo + i * E;
          for (let c = 0; c < cols; c++) {
            const s = tile[r * cols + c]!;
            if (s === -Infinity) continue;
            const j = j0 + c;
            const P = Math.exp(s - lse);
            const f = dropout === null ? 1 : dropoutFactor(dropout.seed, b * L + i, j, dropout.p);
            const vj = vo + j * Ev;
            let dP = 0;
            for (let e = 0; e < Ev; e++) {
              dP += gradOut[go + e]! * v[vj + e]!;
              dvAcc[c * Ev + e]! += P * f * gradOut[go + e]!;
            }
            const dS = P * (f * dP - delta[i]!);
            if (dS === 0) continue;
            const kj = ko + j * E;
            const g = scale * dS;
            for (let e = 0; e < E; e++) {
              dqAcc[i * E + e]! += g * k[kj + e]!;
              dkAcc[c * E + e]! += g * q[qi + e]!;
            }
            if (dmask !== null) dmask[maskIndex(p, b, i, j)]! += dS;
          }
        }
      }
      for (let x = 0; x < cols * E; x++) dk[ko + j0 * E + x]! += dkAcc[x]!;
      for (let x = 0; x < cols * Ev; x++) dv[vo + j0 * Ev + x]! += dvAcc[x]!;
    }
    for (let x = 0; x < L * E; x++) dq[qo + x]! += dqAcc[x]!;
  }
  return { dq, dk, dv, dmask };
};
