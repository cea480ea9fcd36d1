import { attentionRollout, classTokenMap, VisionTransformer } from "@heed/attention";
import { Generator, randn } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";

describe("README Vision Transformer example", () => {
  it("runs and gives the documented shapes", () => {
    const vit = new VisionTransformer({ imageSize: 28, patchSize: 7, numLayers: 2, numHeads: 4, hiddenDim: 32,
      mlpDim: 64, numClasses: 10, inChannels: 1, rng: new Generator(0) });
    const images = randn([8, 1, 28, 28], new Generator(1)); // [B, C, 28, 28]
    const logits = vit.forward(images); // [8, 10]
    const { weights } = vit.forwardWithAttention(images); // 2 × [8, 4, 17, 17]
    const map = classTokenMap(attentionRollout(weights), vit.grid); // [8, 4, 4]
    expect(logits.shape).toEqual([8, 10]);
    expect(weights.map((w) => w.shape)).toEqual([[8, 4, 17, 17], [8, 4, 17, 17]]);
    expect(map.shape).toEqual([8, 4, 4]);
  });
});
