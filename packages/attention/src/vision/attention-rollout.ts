import { add, checkOptions, describeValue, div, eye, formatShape, matmul, max, mean, min, mul, reshape, slice, sum, type OptionKeys, type Tensor } from "@heed/tensor-core";

export interface AttentionRolloutOptions {
  /**
   * How a layer's heads become one matrix (default "mean", the paper's choice); "max" and "min"
   * are the variants used by later visualisation tools. Ignored for [B, L, L] weights.
   */
  headFusion?: "mean" | "max" | "min";
  /**
   * Weight of the residual connection (default 0.5, the paper's): each layer's matrix is
   * Â = (1 − r)·A + r·I, rows re-normalised to sum to 1. 0 rolls out the raw attention.
   */
  residual?: number;
}

const ROLLOUT_KEYS: OptionKeys<AttentionRolloutOptions> = { headFusion: true, residual: true };

/**
 * Attention rollout (Abnar & Zuidema, "Quantifying Attention Flow in Transformers", ACL 2020,
 * §3): how much each output token draws on each input token through all layers. For each layer
 * the heads are fused (mean by default) into A [B, L, L]; the residual connection is modelled
 * as identity, Â = 0.5·A + 0.5·I, rows re-normalised; and the layers are multiplied in order,
 * R = Â_N ⋯ Â_2 · Â_1. `weights` are the layers' attention weights in forward order, each
 * [B, H, L, L] per head or [B, L, L] already fused (as `VisionTransformer.forwardWithAttention`
 * and `MultiHeadAttention` give them). Returns R [B, L, L]; row i is a distribution over the
 * input tokens (it sums to 1). Differentiable (built from tensor ops).
 *
 * @example
 * const { weights } = vit.forwardWithAttention(images);
 * const r = attentionRollout(weights);                 // [B, 1+N, 1+N]
 * const map = classTokenMap(r, vit.grid);              // [B, h, w]: what the class token reads
 */
export function attentionRollout(weights: readonly Tensor[], options: AttentionRolloutOptions = {}): Tensor {
  const { headFusion = "mean", residual = 0.5 } = checkOptions("attentionRollout", options, ROLLOUT_KEYS);
  const given: unknown = weights;
  if (!Array.isArray(given)) throw new Error(`attentionRollout: expected an array of each layer's attention weights [B, H, L, L], got ${describeValue(given)}`);
  if (weights.length === 0) throw new Error("attentionRollout: expected at least one layer of attention weights, got none");
  if (!(residual >= 0 && residual <= 1)) throw new Error(`attentionRollout: residual must be in [0, 1], got ${residual}`);
  if (headFusion !== "mean" && headFusion !== "max" && headFusion !== "min") throw new Error(`attentionRollout: headFusion must be 'mean', 'max' or 'min', got '${String(headFusion)}'`);
  const first = weights[0]!;
  const [B, L] = [first.shape[0]!, first.shape.at(-1)!];
  let rollout: Tensor | null = null;
  weights.forEach((w, l) => {
    const ok = (w.rank === 4 || w.rank === 3) && w.shape[0] === B && w.shape.at(-1) === L && w.shape.at(-2) === L;
    if (!ok) {
      throw new Error(`attentionRollout: layer ${l} weights must be [B, H, L, L] or [B, L, L] with B=${B}, L=${L} (from layer 0), got ${formatShape(w.shape)}`);
    }
    const fused = w.rank === 3 ? w : headFusion === "mean" ? mean(w, [1]) : headFusion === "max" ? max(w, [1]) : min(w, [1]);
    const withResidual = add(mul(fused, 1 - residual), mul(eye(L, L, w.dtype), residual));
    const a = div(withResidual, sum(withResidual, [-1], true)); // [B, L, L], rows sum to 1
    rollout = rollout === null ? a : matmul(a, rollout);
  });
  return rollout!;
}

/**
 * The class token's row of a rollout, over the patches, as an image: rollout [B, 1+N, 1+N]
 * → [B, h, w] (N = h·w patches in row-major order; the class token's own share is dropped).
 */
export function classTokenMap(rollout: Tensor, grid: readonly [number, number]): Tensor {
  const [h, w] = grid;
  const [B, L] = rollout.shape as [number, number];
  if (rollout.rank !== 3 || L !== h * w + 1 || rollout.shape[2] !== L) {
    throw new Error(`classTokenMap: expected a rollout [B, ${h * w + 1}, ${h * w + 1}] for a ${h}×${w} patch grid, got ${formatShape(rollout.shape)}`);
  }
  return reshape(slice(rollout, [0, 0, 1], [B, 1, L]), [B, h, w]);
}
