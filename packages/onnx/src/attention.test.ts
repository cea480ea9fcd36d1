import { MultiHeadAttention, SinusoidalPositionalEncoding, TransformerDecoder, TransformerDecoderLayer, TransformerEncoder, TransformerEncoderLayer } from "@heed/attention";
import { Generator, greater, rand, randn, type Tensor } from "@heed/tensor-core";
import onnxProto from "onnx-proto";
import { describe, expect, it } from "vitest";
import type { Module } from "@heed/nn";
import { checkExport, type CheckOptions, type Inputs } from "../test/ort.js";

/** [B, S] key padding masks (true = padding) with the last `B` % S keys of each row padded, never a whole row. */
function padding(B: number, S: number, rng: Generator): Tensor {
  return greater(rand([B, S], rng), 0.7);
}

const layer = (seed: number, normFirst = false) => ({ dModel: 8, nhead: 2, dimFeedforward: 16, dropout: 0.1, normFirst, rng: new Generator(seed) });

// every module with each way of writing attention (ExportOptions.attention)
describe.each(["composed", "ort-mha", "onnx-attention"] as const)("exportOnnx: attention modules, attention '%s' (ORT vs Heed at 2 batch sizes × 2 lengths)", (attention) => {
  const op = { composed: "Softmax", "ort-mha": "MultiHeadAttention", "onnx-attention": "Attention" }[attention];
  const check = async (m: Module, make: (B: number, L: number) => Inputs, options: CheckOptions = {}) => {
    const { bytes } = await checkExport(m, make, { ...options, attention });
    const ops = onnxProto.onnx.ModelProto.decode(bytes).graph!.node!.map((n) => n.opType);
    if (!(m instanceof SinusoidalPositionalEncoding)) expect(ops, `the graph writes attention with ${op}`).toContain(op);
  };

  it("MultiHeadAttention, self-attention without masks", async () => {
    const rng = new Generator(0);
    const m = new MultiHeadAttention({ embedDim: 8, numHeads: 2, rng });
    await check(m, (B, L) => ({ x: randn([B, L, 8], rng) }), { forward: ({ x }) => m.forward(x!, x!, x!, { needWeights: false }).output });
  });

  it("MultiHeadAttention with a key padding mask", async () => {
    const rng = new Generator(1);
    const m = new MultiHeadAttention({ embedDim: 8, numHeads: 2, rng });
    await check(m, (B, L) => ({ x: randn([B, L, 8], rng), pad: padding(B, L, rng) }), {
      forward: ({ x, pad }) => m.forward(x!, x!, x!, { needWeights: false, keyPaddingMask: pad! }).output,
    });
  });

  it("MultiHeadAttention, causal", async () => {
    const rng = new Generator(2);
    const m = new MultiHeadAttention({ embedDim: 8, numHeads: 2, rng });
    await check(m, (B, L) => ({ x: randn([B, L, 8], rng) }), { forward: ({ x }) => m.forward(x!, x!, x!, { needWeights: false, isCausal: true }).output });
  });

  it("MultiHeadAttention, causal with a key padding mask", async () => {
    const rng = new Generator(3);
    const m = new MultiHeadAttention({ embedDim: 8, numHeads: 2, rng });
    await check(m, (B, L) => ({ x: randn([B, L, 8], rng), pad: padding(B, L, rng) }), {
      forward: ({ x, pad }) => m.forward(x!, x!, x!, { needWeights: false, isCausal: true, keyPaddingMask: pad! }).output,
    });
  });

  it("MultiHeadAttention, cross-attention over a memory of another length", async () => {
    const rng = new Generator(4);
    const m = new MultiHeadAttention({ embedDim: 8, numHeads: 2, rng });
    await check(m, (B, L) => ({ q: randn([B, L, 8], rng), mem: randn([B, L + 2, 8], rng) }), {
      dynamicAxes: { q: ["batch", "tgt", null], mem: ["batch", "src", null] },
      forward: ({ q, mem }) => m.forward(q!, mem!, mem!, { needWeights: false }).output,
    });
  });

  it("SinusoidalPositionalEncoding", async () => {
    const rng = new Generator(5);
    const m = new SinusoidalPositionalEncoding({ dModel: 8, maxLen: 32 });
    await check(m, (B, L) => ({ x: randn([B, L, 8], rng) }));
  });

  for (const normFirst of [false, true]) {
    it(`TransformerEncoderLayer (normFirst ${normFirst}) with a key padding mask`, async () => {
      const rng = new Generator(6);
      const m = new TransformerEncoderLayer(layer(7, normFirst));
      await check(m, (B, L) => ({ x: randn([B, L, 8], rng), pad: padding(B, L, rng) }), {
        forward: ({ x, pad }) => m.forward(x!, { srcKeyPaddingMask: pad! }),
      });
    });
  }

  it("TransformerDecoderLayer, causal self-attention and memory padding", async () => {
    const rng = new Generator(8);
    const m = new TransformerDecoderLayer(layer(9));
    await check(m, (B, L) => ({ y: randn([B, L, 8], rng), mem: randn([B, L + 1, 8], rng), memPad: padding(B, L + 1, rng) }), {
      dynamicAxes: { y: ["batch", "tgt", null], mem: ["batch", "src", null], memPad: ["batch", "src"] },
      forward: ({ y, mem, memPad }) => m.forward(y!, mem!, { tgtIsCausal: true, memoryKeyPaddingMask: memPad! }),
    });
  });

  it("TransformerEncoder and TransformerDecoder stacks with a final norm", async () => {
    const rng = new Generator(10);
    const enc = new TransformerEncoder({ layer: layer(11, true), numLayers: 2, norm: true });
    await check(enc, (B, L) => ({ x: randn([B, L, 8], rng), pad: padding(B, L, rng) }), {
      forward: ({ x, pad }) => enc.forward(x!, { srcKeyPaddingMask: pad! }),
    });
    const dec = new TransformerDecoder({ layer: layer(12), numLayers: 2, norm: true });
    await check(dec, (B, L) => ({ y: randn([B, L, 8], rng), mem: randn([B, L + 1, 8], rng) }), {
      dynamicAxes: { y: ["batch", "tgt", null], mem: ["batch", "src", null] },
      forward: ({ y, mem }) => dec.forward(y!, mem!, { tgtIsCausal: true }),
    });
  });
});

// needWeights: true takes the composed path whatever ExportOptions.attention says (the README's caveat)
describe("exportOnnx: MultiHeadAttention with its weights", () => {
  it("MultiHeadAttention with its weights (needWeights) and a key padding mask that hides a whole row only at run time", async () => {
    const rng = new Generator(7);
    const m = new MultiHeadAttention({ embedDim: 8, numHeads: 2, rng });
    // the example (B 2, L 4) has no fully padded row; every compared size pads all of row 0's keys
    const make = (B: number, L: number) => {
      const pad = padding(B, L, rng);
      if (B !== 2 || L !== 4) for (let j = 0; j < L; j++) pad.data[j] = 1;
      else for (let b = 0; b < B; b++) pad.data[b * L] = 0;
      return { x: randn([B, L, 8], rng), pad };
    };
    await checkExport(m, make, {
      forward: ({ x, pad }) => {
        const r = m.forward(x!, x!, x!, { keyPaddingMask: pad! });
        return [r.output, r.weights!];
      },
    });
  });
});
