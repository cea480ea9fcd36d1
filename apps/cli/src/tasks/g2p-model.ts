import { SinusoidalPositionalEncoding, TransformerDecoder, TransformerEncoder, type TransformerDecoderLayer } from "@heed/attention";
import { Embedding, Linear, Module, init } from "@heed/nn";
import { add, argmax, concat, gelu, mul, relu, reshape, slice, softmax, Tensor, type Generator } from "@heed/tensor-core";

/**
 * One decoder layer for the newest position only: x [B, 1, E] is that position's layer input,
 * all [B, T, E] the inputs of every position so far (x last). Causality makes the earlier
 * positions' outputs independent of later ones, so they are never recomputed; the query
 * attends to all T positions, which is row T − 1 of the causal mask. Mirrors
 * TransformerDecoderLayer.forward (post-norm or normFirst).
 */
function layerStep(layer: TransformerDecoderLayer, x: Tensor, all: Tensor, memory: Tensor, srcPad: Tensor): Tensor {
  const sa = (q: Tensor, kv: Tensor): Tensor => layer.dropout1.forward(layer.selfAttn.forward(q, kv, kv, { needWeights: false }).output);
  const ca = (q: Tensor): Tensor => layer.dropout2.forward(layer.multiheadAttn.forward(q, memory, memory, { keyPaddingMask: srcPad, needWeights: false }).output);
  const ff = (h: Tensor): Tensor => {
    const a = layer.linear1.forward(h);
    return layer.dropout3.forward(layer.linear2.forward(layer.dropout.forward(layer.activation === "relu" ? relu(a) : gelu(a))));
  };
  if (layer.normFirst) {
    const kv = layer.norm1.forward(all);
    const [B, T, E] = kv.shape as [number, number, number];
    let h = add(x, sa(slice(kv, [0, T - 1, 0], [B, T, E]), kv));
    h = add(h, ca(layer.norm2.forward(h)));
    return add(h, ff(layer.norm3.forward(h)));
  }
  let h = layer.norm1.forward(add(x, sa(x, all)));
  h = layer.norm2.forward(add(h, ca(h)));
  return layer.norm3.forward(add(h, ff(h)));
}

export interface Seq2SeqShape {
  srcVocab: number;
  tgtVocab: number;
  dModel: number;
  heads: number;
  layers: number;
  ff: number;
  dropout: number;
  maxLen: number;
}

/**
 * A post-norm Transformer encoder–decoder (Vaswani et al., 2017) for sequence transduction:
 * token embeddings (scaled by √E, initialised N(0, 1/E)), sinusoidal positions, N encoder and
 * N decoder layers from @heed/attention, and a linear generator over the target vocabulary.
 * Shapes: src [B, S] int32, tgt [B, T] int32 → logits [B, T, V].
 */
export class Seq2SeqTransformer extends Module {
  readonly srcEmbed: Embedding;
  readonly tgtEmbed: Embedding;
  readonly pos: SinusoidalPositionalEncoding;
  readonly encoder: TransformerEncoder;
  readonly decoder: TransformerDecoder;
  readonly generator: Linear;
  readonly shape: Seq2SeqShape;
  readonly #scale: number;

  constructor(shape: Seq2SeqShape, rng: Generator) {
    super();
    const { srcVocab, tgtVocab, dModel: E, heads, layers, ff, dropout, maxLen } = shape;
    this.shape = shape;
    this.#scale = Math.sqrt(E);
    this.srcEmbed = this.registerModule("src_embed", new Embedding(srcVocab, E, { paddingIdx: 0, rng }));
    this.tgtEmbed = this.registerModule("tgt_embed", new Embedding(tgtVocab, E, { paddingIdx: 0, rng }));
    for (const emb of [this.srcEmbed, this.tgtEmbed]) {
      // N(0, 1/E): times the √E scale applied in the forward pass, the embeddings start at unit variance.
      init.normal_(emb.weight, 0, 1 / Math.sqrt(E), rng);
      emb.weight.data.fill(0, 0, E); // padding row stays zero
    }
    this.pos = this.registerModule("pos", new SinusoidalPositionalEncoding({ dModel: E, maxLen, dropout, rng }));
    const layer = { dModel: E, nhead: heads, dimFeedforward: ff, dropout, rng };
    this.encoder = this.registerModule("encoder", new TransformerEncoder({ layer, numLayers: layers }));
    this.decoder = this.registerModule("decoder", new TransformerDecoder({ layer, numLayers: layers }));
    this.generator = this.registerModule("generator", new Linear(E, tgtVocab, { rng }));
  }

  embedSrc(src: Tensor): Tensor {
    return this.pos.forward(mul(this.srcEmbed.forward(src), this.#scale));
  }

  embedTgt(tgt: Tensor, offset = 0): Tensor {
    return this.pos.forward(mul(this.tgtEmbed.forward(tgt), this.#scale), offset);
  }

  /** src [B, S], srcPad [B, S] (TRUE = padding) → memory [B, S, E]. */
  encode(src: Tensor, srcPad: Tensor): Tensor {
    return this.encoder.forward(this.embedSrc(src), { srcKeyPaddingMask: srcPad });
  }

  /** tgtIn [B, T] (causal) over memory → logits [B, T, V]. */
  decode(tgtIn: Tensor, memory: Tensor, srcPad: Tensor, tgtPad: Tensor | null = null): Tensor {
    return this.generator.forward(this.decodeHidden(tgtIn, memory, srcPad, tgtPad));
  }

  /** tgtIn [B, T] (causal) over memory → decoder states [B, T, E] (before the generator). */
  decodeHidden(tgtIn: Tensor, memory: Tensor, srcPad: Tensor, tgtPad: Tensor | null = null): Tensor {
    return this.decoder.forward(this.embedTgt(tgtIn), memory, { tgtIsCausal: true, tgtKeyPaddingMask: tgtPad, memoryKeyPaddingMask: srcPad });
  }

  /** Logits [B, V] of the next token after tgtIn [B, T]: the generator runs on the last position only. */
  nextLogits(tgtIn: Tensor, memory: Tensor, srcPad: Tensor): Tensor {
    const h = this.decodeHidden(tgtIn, memory, srcPad);
    const [B, T, E] = h.shape as [number, number, number];
    return this.generator.forward(reshape(slice(h, [0, T - 1, 0], [B, T, E]), [B, E]));
  }

  override forward(src: Tensor, srcPad: Tensor, tgtIn: Tensor, tgtPad: Tensor | null = null): Tensor {
    return this.decode(tgtIn, this.encode(src, srcPad), srcPad, tgtPad);
  }

  /**
   * Logits [B, V] for the token `ids` [B] at position `pos`, given `cache`: per decoder layer,
   * that layer's inputs at positions 0..pos−1 (empty at pos 0). Returns the grown cache. The
   * same numbers as `nextLogits` on the whole prefix, with O(T) instead of O(T²) work per step.
   */
  stepLogits(ids: Int32Array, pos: number, cache: readonly Tensor[], memory: Tensor, srcPad: Tensor): { logits: Tensor; cache: Tensor[] } {
    const B = ids.length;
    let x = this.embedTgt(new Tensor(ids, [B, 1], "int32"), pos);
    const grown: Tensor[] = [];
    for (const layer of this.decoder.layers) {
      const prev = cache[grown.length];
      const all = prev === undefined ? x : concat([prev, x], 1);
      grown.push(all);
      x = layerStep(layer, x, all, memory, srcPad);
    }
    if (this.decoder.norm !== null) x = this.decoder.norm.forward(x);
    const E = x.shape[2]!;
    return { logits: this.generator.forward(reshape(x, [B, E])), cache: grown };
  }

  /**
   * Greedy decoding: start from bos, append the most likely token until every row has produced
   * eos or `maxSteps` tokens. Returns the ids after bos, up to (not including) eos.
   * Incremental: each step runs the decoder for the newest position only (see stepLogits).
   */
  greedy(src: Tensor, srcPad: Tensor, bosId: number, eosId: number, maxSteps: number): number[][] {
    const [B] = src.shape as [number, number];
    const memory = this.encode(src, srcPad);
    const out: number[][] = Array.from({ length: B }, () => []);
    const done = new Array<boolean>(B).fill(false);
    let ids = new Int32Array(B).fill(bosId);
    let cache: Tensor[] = [];
    for (let step = 0; step < maxSteps && done.includes(false); step++) {
      const r = this.stepLogits(ids, step, cache, memory, srcPad);
      cache = r.cache;
      const next = argmax(r.logits, -1).data;
      ids = new Int32Array(B);
      for (let b = 0; b < B; b++) {
        const id = next[b]!;
        ids[b] = done[b] ? 0 : id; // finished rows are fed padding, as before (their outputs are ignored)
        if (!done[b]) {
          if (id === eosId) done[b] = true;
          else out[b]!.push(id);
        }
      }
    }
    return out;
  }

  /** Beam search for one source row (src [1, S]); returns the best hypothesis' ids. */
  beam(src: Tensor, srcPad: Tensor, bosId: number, eosId: number, maxSteps: number, width: number): number[] {
    const memory = this.encode(src, srcPad);
    type Hyp = { ids: number[]; score: number; done: boolean };
    let beams: Hyp[] = [{ ids: [bosId], score: 0, done: false }];
    for (let step = 0; step < maxSteps && beams.some((h) => !h.done); step++) {
      const live = beams.filter((h) => !h.done);
      const T = live[0]!.ids.length;
      const ys = new Int32Array(live.length * T);
      live.forEach((h, i) => ys.set(h.ids, i * T));
      const n = live.length;
      const mem = n === 1 ? memory : reshape(memory.expand([n, memory.shape[1]!, memory.shape[2]!]), [n, memory.shape[1]!, memory.shape[2]!]);
      const pad = n === 1 ? srcPad : srcPad.expand([n, srcPad.shape[1]!]);
      const last = this.nextLogits(new Tensor(ys, [n, T], "int32"), mem, pad);
      const V = last.shape[1]!;
      const logp = softmax(last, -1).data;
      const candidates: Hyp[] = beams.filter((h) => h.done);
      live.forEach((h, i) => {
        for (let v = 0; v < V; v++) {
          const p = logp[i * V + v]!;
          if (p <= 0) continue;
          candidates.push({ ids: [...h.ids, v], score: h.score + Math.log(p), done: v === eosId });
        }
      });
      // length-normalised ranking keeps short hypotheses from winning by default
      candidates.sort((a, b) => b.score / b.ids.length - a.score / a.ids.length);
      beams = candidates.slice(0, width);
    }
    const best = beams[0]!.ids.slice(1);
    return best.at(-1) === eosId ? best.slice(0, -1) : best;
  }

  /** Attention weights for one source row and its decoded target: per encoder layer/head and decoder cross-attention layer/head. */
  attentionMaps(src: Tensor, srcPad: Tensor, tgtIn: Tensor): { encoder: Tensor[]; cross: Tensor[] } {
    const encoder: Tensor[] = [];
    let x = this.embedSrc(src);
    for (const layer of this.encoder.layers) {
      const { weights } = layer.selfAttn.forward(x, x, x, { keyPaddingMask: srcPad, needWeights: true, averageAttnWeights: false });
      encoder.push(weights!);
      x = layer.forward(x, { srcKeyPaddingMask: srcPad });
    }
    const memory = this.encoder.norm === null ? x : this.encoder.norm.forward(x);
    const cross: Tensor[] = [];
    let y = this.embedTgt(tgtIn);
    for (const layer of this.decoder.layers) {
      const sa = layer.selfAttn.forward(y, y, y, { isCausal: true, needWeights: false }).output;
      const q = layer.normFirst ? layer.norm2.forward(add(y, sa)) : layer.norm1.forward(add(y, sa));
      const { weights } = layer.multiheadAttn.forward(q, memory, memory, { keyPaddingMask: srcPad, needWeights: true, averageAttnWeights: false });
      cross.push(weights!);
      y = layer.forward(y, memory, { tgtIsCausal: true, memoryKeyPaddingMask: srcPad });
    }
    return { encoder, cross };
  }
}

