import { LayerNorm, Module, ModuleList } from "@heed/nn";
import { allocate, checkOptions, Tensor, type OptionKeys } from "@heed/tensor-core";
import type { MaskedOutBoolMask } from "../functional/types.js";
import { LAYER_KEYS, type TransformerLayerOptions } from "./transformer-common.js";
import { createDecoderLayerCache, DECODER_FORWARD_KEYS, TransformerDecoderLayer, type DecoderLayerCache, type DecoderLayerForwardOptions } from "./transformer-decoder-layer.js";
import { TransformerEncoderLayer } from "./transformer-encoder-layer.js";

export interface TransformerStackOptions {
  /** Options of every layer (each layer gets its own freshly initialised weights; `batchFirst` sets the stack's layout). */
  layer: TransformerLayerOptions;
  /** N: number of stacked layers. */
  numLayers: number;
  /** A final LayerNorm named `norm` after the last layer (default false; true is usual with normFirst). */
  norm?: boolean;
}

const STACK_KEYS: OptionKeys<TransformerStackOptions> = { layer: true, numLayers: true, norm: true };

function checkStack(fn: string, options: TransformerStackOptions): Required<TransformerStackOptions> {
  const { layer, numLayers, norm = false } = checkOptions(fn, options, STACK_KEYS);
  if (!Number.isInteger(numLayers) || numLayers < 1) throw new Error(`${fn}: numLayers must be a positive integer, got ${numLayers}`);
  return { layer: checkOptions(`${fn}: layer`, layer, LAYER_KEYS), numLayers, norm };
}

/** Masks use torch.nn.MultiheadAttention's convention: bool **TRUE = MASKED OUT**, float added. */
export interface EncoderForwardOptions {
  /** [L, L] or [B·H, L, L]. */
  mask?: MaskedOutBoolMask | null;
  /** [B, L]: TRUE marks padding. */
  srcKeyPaddingMask?: MaskedOutBoolMask | null;
  isCausal?: boolean;
  /** Called with each layer's self-attention weights [B, H, L, L], layer by layer; slower (no fused path). */
  onAttentionWeights?: ((kind: "self", weights: Tensor) => void) | null;
}

export interface DecoderForwardOptions extends Omit<DecoderLayerForwardOptions, "cache"> {
  /** Incremental decoding: one cache per layer, from `createCache()`; tgt then holds only the new positions. */
  cache?: readonly DecoderLayerCache[] | null;
}

const ENCODER_FORWARD_KEYS: OptionKeys<EncoderForwardOptions> = { mask: true, srcKeyPaddingMask: true, isCausal: true, onAttentionWeights: true };

/**
 * torch.nn.TransformerEncoder (batch_first=True): `numLayers` encoder layers named `layers.N.…`
 * and an optional final `norm`. src [B, L, E] → [B, L, E]; [L, B, E] with `layer.batchFirst: false`.
 *
 * @example
 * const enc = new TransformerEncoder({ layer: { dModel: 16, nhead: 2, dimFeedforward: 32 }, numLayers: 2 });
 * const y = enc.forward(randn([2, 7, 16], new Generator(0)));   // [2,7,16]
 */
export class TransformerEncoder extends Module {
  static override readonly typeName: string = "TransformerEncoder";
  readonly layers: ModuleList<TransformerEncoderLayer>;
  readonly norm: LayerNorm | null;
  /** Inputs are [B, L, E] (true, default) or [L, B, E] (false), from `layer.batchFirst`. */
  readonly batchFirst: boolean;

  constructor(options: TransformerStackOptions) {
    super();
    const { layer, numLayers, norm } = checkStack("TransformerEncoder", options);
    this.layers = this.registerModule("layers", new ModuleList(Array.from({ length: numLayers }, () => new TransformerEncoderLayer(layer))));
    this.norm = this.registerModule("norm", norm ? new LayerNorm(layer.dModel, { eps: layer.layerNormEps ?? 1e-5, bias: layer.bias ?? true, dtype: layer.dtype ?? "float32" }) : null);
    this.batchFirst = layer.batchFirst ?? true;
  }

  override forward(src: Tensor, options?: EncoderForwardOptions): Tensor {
    options = checkOptions("TransformerEncoder.forward", options, ENCODER_FORWARD_KEYS);
    let x = src;
    for (const layer of this.layers) {
      x = layer.forward(x, {
        srcMask: options.mask ?? null, srcKeyPaddingMask: options.srcKeyPaddingMask ?? null, isCausal: options.isCausal ?? false, onAttentionWeights: options.onAttentionWeights ?? null,
      });
    }
    return this.norm === null ? x : this.norm.forward(x);
  }
}

/**
 * torch.nn.TransformerDecoder (batch_first=True): `numLayers` decoder layers named `layers.N.…`
 * and an optional final `norm`. tgt [B, L, E], memory [B, S, E] → [B, L, E]; with
 * `layer.batchFirst: false` tgt [L, B, E], memory [S, B, E] → [L, B, E].
 *
 * @example
 * const dec = new TransformerDecoder({ layer: { dModel: 16, nhead: 2, dimFeedforward: 32 }, numLayers: 2 });
 * const y = dec.forward(randn([2, 5, 16], new Generator(0)), randn([2, 7, 16], new Generator(1)), { tgtIsCausal: true });
 */
export class TransformerDecoder extends Module {
  static override readonly typeName: string = "TransformerDecoder";
  readonly layers: ModuleList<TransformerDecoderLayer>;
  readonly norm: LayerNorm | null;
  /** Inputs are [B, L, E] (true, default) or [L, B, E] (false), from `layer.batchFirst`. */
  readonly batchFirst: boolean;

  constructor(options: TransformerStackOptions) {
    super();
    const { layer, numLayers, norm } = checkStack("TransformerDecoder", options);
    this.layers = this.registerModule("layers", new ModuleList(Array.from({ length: numLayers }, () => new TransformerDecoderLayer(layer))));
    this.norm = this.registerModule("norm", norm ? new LayerNorm(layer.dModel, { eps: layer.layerNormEps ?? 1e-5, bias: layer.bias ?? true, dtype: layer.dtype ?? "float32" }) : null);
    this.batchFirst = layer.batchFirst ?? true;
  }

  override forward(tgt: Tensor, memory: Tensor, options?: DecoderForwardOptions): Tensor {
    options = checkOptions("TransformerDecoder.forward", options, DECODER_FORWARD_KEYS);
    const caches = options.cache ?? null;
    if (caches !== null && caches.length !== this.layers.length) {
      throw new Error(`TransformerDecoder.forward: cache has ${caches.length} layer caches but the decoder has ${this.layers.length} layers (use createCache())`);
    }
    let x = tgt;
    let i = 0;
    for (const layer of this.layers) x = layer.forward(x, memory, { ...options, cache: caches?.[i++] ?? null });
    return this.norm === null ? x : this.norm.forward(x);
  }

  /** Empty per-layer caches for incremental decoding with `forward(…, { cache })`. */
  createCache(): DecoderLayerCache[] {
    return Array.from({ length: this.layers.length }, () => createDecoderLayerCache());
  }
}

/**
 * torch.nn.Transformer.generate_square_subsequent_mask: a float [L, L] mask with −∞ above the
 * diagonal and 0 elsewhere (position i may attend to j <= i), for `tgtMask` / `srcMask`.
 */
export function generateSquareSubsequentMask(L: number): Tensor {
  const data = allocate("float32", L * L);
  for (let i = 0; i < L; i++) for (let j = i + 1; j < L; j++) data[i * L + j] = -Infinity;
  return new Tensor(data, [L, L], "float32");
}
