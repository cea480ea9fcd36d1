import { VisionTransformer } from "@heed/attention";
import { init } from "@heed/nn";
import { Generator, randn } from "@heed/tensor-core";
import onnxProto from "onnx-proto";
import { describe, expect, it } from "vitest";
import { checkExport } from "../test/ort.js";

/** A small ViT over [B, 2, 8, 12] images (2×3 patches of 4×4) with every parameter random (torchvision zero-initialises the class token and the head). */
function vit(seed: number): VisionTransformer {
  const m = new VisionTransformer({ imageSize: [8, 12], patchSize: 4, numLayers: 2, numHeads: 2, hiddenDim: 8, mlpDim: 16, numClasses: 5, inChannels: 2, dropout: 0.1, rng: new Generator(seed) });
  const g = new Generator(seed + 1);
  for (const p of m.parameters()) init.normal_(p, 0, 0.5, g);
  return m;
}

const SIZES = [[1, 1], [3, 1]] as const; // batch 1 and 3 (the example's is 2); the image size is fixed

describe.each(["composed", "ort-mha", "onnx-attention"] as const)("exportOnnx: VisionTransformer, attention '%s' (ORT vs Heed at batch 1 and 3)", (attention) => {
  it("images [batch, C, H, W] (NCHW) → logits [batch, classes]", async () => {
    const m = vit(0);
    const rng = new Generator(10);
    const model = await checkExport(m, (B) => ({ images: randn([B, 2, 8, 12], rng) }), {
      dynamicAxes: { images: ["batch", null, null, null] }, outputNames: ["logits"], attention, sizes: SIZES,
    });
    expect(model.shapes.images).toEqual(["batch", 2, 8, 12]);
    expect(model.shapes.logits).toEqual(["batch", 5]);
    const op = { composed: "Softmax", "ort-mha": "MultiHeadAttention", "onnx-attention": "Attention" }[attention];
    expect(onnxProto.onnx.ModelProto.decode(model.bytes).graph!.node!.map((n) => n.opType)).toContain(op);
  });
});

describe("exportOnnx: VisionTransformer.forwardWithAttention (ORT vs Heed at batch 1 and 3)", () => {
  it("logits and every layer's per-head attention weights [batch, H, 1+N, 1+N]", async () => {
    const m = vit(1);
    const rng = new Generator(11);
    const model = await checkExport(m, (B) => ({ images: randn([B, 2, 8, 12], rng) }), {
      forward: ({ images }) => {
        const { logits, weights } = m.forwardWithAttention(images!);
        return [logits, ...weights];
      },
      dynamicAxes: { images: ["batch", null, null, null] }, outputNames: ["logits", "weights_0", "weights_1"], sizes: SIZES,
    });
    expect(model.shapes.weights_0).toEqual(["batch", 2, 7, 7]);
  });
});
