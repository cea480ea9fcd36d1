import { dotProductAttention, MultiHeadAttention, ResidualSelfAttention, scaledDotProductAttention } from "@heed/attention";
import { Linear, Module } from "@heed/nn";
import { logicalNot, reshape, unsqueeze, type Generator, type Tensor } from "@heed/tensor-core";
import type { AttentionKind } from "../config.js";
import { UsageError } from "../errors.js";

export interface MixerOptions {
  /** Which of the seed's four mechanisms mixes the tokens. */
  kind: AttentionKind;
  /** E: token width. */
  dModel: number;
  /** H: heads (multihead and residual only; dot and scaled are single-head). */
  heads: number;
  /** Dropout on the attention weights (training mode only). */
  dropout: number;
  rng: Generator;
}

/**
 * One self-attention layer over tokens x [B, L, E] → [B, L, E], with the mechanism chosen by
 * `--attention`, so the four mechanisms of the seed can be compared on the same task:
 * - `dot`: softmax(q·kᵀ)·v with learned projections q, k, v (no scaling);
 * - `scaled`: softmax(q·kᵀ/√E)·v (Vaswani et al. 2017);
 * - `multihead`: `MultiHeadAttention` with H heads;
 * - `residual`: x + MultiHeadAttention(x) (`ResidualSelfAttention`).
 * The key padding mask is bool [B, L] with TRUE = padding (as `padSequence` returns it).
 */
export class AttentionMixer extends Module {
  readonly kind: AttentionKind;
  readonly dropoutP: number;
  readonly q: Linear | null;
  readonly k: Linear | null;
  readonly v: Linear | null;
  readonly mha: MultiHeadAttention | null;
  readonly residual: ResidualSelfAttention | null;
  readonly #rng: Generator;

  constructor({ kind, dModel: E, heads: H, dropout, rng }: MixerOptions) {
    super();
    const single = kind === "dot" || kind === "scaled";
    if (!single && kind !== "multihead" && kind !== "residual") throw new Error(`AttentionMixer: unknown attention kind '${String(kind)}' (expected dot, scaled, multihead or residual)`);
    this.kind = kind;
    this.dropoutP = dropout;
    this.#rng = rng;
    this.q = this.registerModule("q", single ? new Linear(E, E, { rng }) : null);
    this.k = this.registerModule("k", single ? new Linear(E, E, { rng }) : null);
    this.v = this.registerModule("v", single ? new Linear(E, E, { rng }) : null);
    this.mha = this.registerModule("mha", kind === "multihead" ? new MultiHeadAttention({ embedDim: E, numHeads: H, dropout, rng }) : null);
    this.residual = this.registerModule("residual", kind === "residual" ? new ResidualSelfAttention({ embedDim: E, numHeads: H, dropout, rng }) : null);
  }

  /** x [B, L, E], keyPaddingMask bool [B, L] (TRUE = padding) → [B, L, E]. */
  override forward(x: Tensor, keyPaddingMask: Tensor | null = null): Tensor {
    if (this.residual !== null) return this.residual.forward(x, { keyPaddingMask });
    if (this.mha !== null) return this.mha.forward(x, x, x, { keyPaddingMask, needWeights: false }).output;
    return this.#single(x, keyPaddingMask, false).output;
  }

  /** The attention weights [B, H, L, L] (H = 1 for dot and scaled), as used in eval mode. */
  weights(x: Tensor, keyPaddingMask: Tensor | null = null): Tensor {
    const mha = this.mha ?? this.residual?.selfAttn ?? null;
    if (mha !== null) {
      const { weights } = mha.forward(x, x, x, { keyPaddingMask, needWeights: true, averageAttnWeights: false });
      return weights!;
    }
    return unsqueeze(this.#single(x, keyPaddingMask, true).weights, 1);
  }

  #single(x: Tensor, keyPaddingMask: Tensor | null, returnWeights: true): { output: Tensor; weights: Tensor };
  #single(x: Tensor, keyPaddingMask: Tensor | null, returnWeights: false): { output: Tensor };
  #single(x: Tensor, keyPaddingMask: Tensor | null, returnWeights: boolean): { output: Tensor; weights?: Tensor } {
    const [B, L] = x.shape as [number, number, number];
    // the functional ops take the opposite convention: bool TRUE = takes part
    const attnMask = keyPaddingMask === null ? null : logicalNot(reshape(keyPaddingMask, [B, 1, L]));
    const fn = this.kind === "dot" ? dotProductAttention : scaledDotProductAttention;
    const opts = { attnMask, dropoutP: this.training ? this.dropoutP : 0, rng: this.#rng };
    const [q, k, v] = [this.q!.forward(x), this.k!.forward(x), this.v!.forward(x)];
    if (returnWeights) return fn(q, k, v, { ...opts, returnWeights: true });
    return { output: fn(q, k, v, opts) };
  }

  override extraRepr(): string {
    return `kind=${this.kind}`;
  }
}

/** The mechanism a task's encoder uses: `config.attention`, checked against the four kinds. */
export function mixerKind(task: string, attention: string): AttentionKind {
  if (attention === "dot" || attention === "scaled" || attention === "multihead" || attention === "residual") return attention;
  throw new UsageError(`${task}: --attention ${attention} is not available for this task (choose dot, scaled, multihead or residual)`);
}

/** Stacked mixer weights [B, H, L, L] → one panel per (layer, head) for batch item 0. */
export function mixerPanels(layers: readonly { title: string; weights: Tensor }[]): { title: string; weights: number[][] }[] {
  const panels: { title: string; weights: number[][] }[] = [];
  for (const { title, weights } of layers) {
    const [, H, L, S] = weights.shape as [number, number, number, number];
    const d = weights.data;
    for (let h = 0; h < H; h++) {
      const rows = Array.from({ length: L }, (_, i) => Array.from({ length: S }, (_, j) => Number(d[(h * L + i) * S + j])));
      panels.push({ title: H === 1 ? title : `${title}, head ${h + 1}`, weights: rows });
    }
  }
  return panels;
}
