/**
 * Encoder–decoder export for incremental decoding: an encoder graph that also computes every
 * decoder layer's cross-attention keys and values once per input, and a one-step decoder graph
 * that takes the last token, the self-attention cache of the P tokens so far and the cross
 * keys/values, and returns the next-token logits and the cache grown to P + 1.
 */
import { createKeyValueCache, Seq2SeqTransformer, type DecoderLayerCache } from "@heed/attention";
import { checkOptions, describeValue, formatShape, Generator, randn, Tensor } from "@heed/tensor-core";
import { exportOnnx, type ExportOptions, type OnnxExport } from "./export.js";

export interface Seq2SeqExport {
  /** inputs `src` [batch, src] int32, `src_pad` [batch, src] bool (true = padding); outputs `cross_key_i` / `cross_value_i` [batch, src, E] */
  readonly encoder: OnnxExport;
  /**
   * inputs `tgt` [batch, 1] int32 (the last token), `src_pad`, `past_key_i` / `past_value_i`
   * [batch, past, E] (past = 0 at the first step), `cross_key_i` / `cross_value_i`; outputs
   * `logits` [batch, 1, V] and `present_key_i` / `present_value_i` [batch, past + 1, E]
   */
  readonly decoder: OnnxExport;
  readonly numLayers: number;
}

const names = (n: number, prefix: string): string[] => Array.from({ length: n }, (_, i) => [`${prefix}_key_${i}`, `${prefix}_value_${i}`]).flat();

/**
 * Export `model` for cached greedy or beam decoding. `src` and `srcPad` are an example batch
 * (batch and source length ≥ 2); `rng` fills the example caches (their values do not matter);
 * `options.attention` is how attention is written (ExportOptions.attention).
 *
 * @example
 * const { encoder, decoder } = exportSeq2Seq(model, src, equal(src, 0));
 */
export function exportSeq2Seq(model: Seq2SeqTransformer, src: Tensor, srcPad: Tensor, rng: Generator = new Generator(0), exportOptions?: Pick<ExportOptions, "attention">): Seq2SeqExport {
  const options = checkOptions("exportSeq2Seq", exportOptions, { attention: true });
  if (!(model instanceof Seq2SeqTransformer)) throw new Error(`exportSeq2Seq: expected a Seq2SeqTransformer (from @heed/attention), got ${describeValue(model)}`);
  for (const [name, t] of [["src", src], ["srcPad", srcPad]] as const) {
    if (!(t instanceof Tensor)) throw new Error(`exportSeq2Seq: expected ${name} as a Tensor (src int32 [B, S], srcPad bool [B, S], true = padding), got ${describeValue(t)}`);
  }
  if (!(rng instanceof Generator)) throw new Error(`exportSeq2Seq: expected rng as a Generator, got ${describeValue(rng)}`);
  if (src.rank !== 2 || src.dtype !== "int32" || srcPad.dtype !== "bool" || srcPad.shape.join() !== src.shape.join()) {
    throw new Error(`exportSeq2Seq: src must be int32 [B, S] and srcPad bool of the same shape, got src ${src.dtype} ${formatShape(src.shape)}, srcPad ${srcPad.dtype} ${formatShape(srcPad.shape)}`);
  }
  const layers = model.decoder.layers.length;
  const E = model.options.dModel;
  const [B, S] = src.shape as [number, number];
  const encoder = exportOnnx(model, { src, src_pad: srcPad }, {
    dynamicAxes: { src: ["batch", "src"], src_pad: ["batch", "src"] },
    outputNames: names(layers, "cross"),
    graphName: "Seq2SeqTransformer.encoder",
    attention: options.attention,
    forward: ({ src, src_pad: pad }) => {
      const memory = model.encode(src!, pad);
      return [...model.decoder.layers].flatMap((layer) => {
        const cross = createKeyValueCache("static");
        layer.multiheadAttn.forward(memory, memory, memory, { cache: cross, needWeights: false }); // fills the cache; its output is pruned
        return [cross.key!, cross.value!];
      });
    },
  });
  const past = Object.fromEntries(names(layers, "past").map((n) => [n, randn([B, 2, E], rng)]));
  const cross = Object.fromEntries(names(layers, "cross").map((n) => [n, randn([B, S, E], rng)]));
  const tgt = new Tensor(new Int32Array(B).fill(1), [B, 1], "int32");
  const decoder = exportOnnx(model, { tgt, src_pad: srcPad, ...past, ...cross }, {
    dynamicAxes: {
      tgt: ["batch", null], src_pad: ["batch", "src"],
      ...Object.fromEntries(Object.keys(past).map((n) => [n, ["batch", "past", null]])),
      ...Object.fromEntries(Object.keys(cross).map((n) => [n, ["batch", "src", null]])),
    },
    outputNames: ["logits", ...names(layers, "present")],
    graphName: "Seq2SeqTransformer.decoderStep",
    attention: options.attention,
    forward: (ins) => {
      const caches: DecoderLayerCache[] = Array.from({ length: layers }, (_, i) => ({
        self: { ...createKeyValueCache("append"), key: ins[`past_key_${i}`]!, value: ins[`past_value_${i}`]! },
        cross: { ...createKeyValueCache("static"), key: ins[`cross_key_${i}`]!, value: ins[`cross_value_${i}`]! },
      }));
      // the cross keys stand in for the memory: with a filled static cache only its shape is read
      const logits = model.decode(ins.tgt!, ins.cross_key_0!, { cache: caches, memoryKeyPaddingMask: ins.src_pad! });
      return [logits, ...caches.flatMap((c) => [c.self.key!, c.self.value!])];
    },
  });
  return { encoder, decoder, numLayers: layers };
}
