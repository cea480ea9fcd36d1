import { Generator, softmax, tensor, zeros } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { rnd } from "../../test/utils/reference.js";
import { attentionRollout, classTokenMap } from "./attention-rollout.js";
import { VisionTransformer } from "./vision-transformer.js";

// A hand-made 2-layer, 2-head example over L = 3 tokens (B = 1).
// Layer 1: head 1 sends every token to token 0, head 2 keeps tokens 0,1 → 1 and 2 → 2.
const layer1 = tensor([[
  [[1, 0, 0], [1, 0, 0], [1, 0, 0]],
  [[0, 1, 0], [0, 1, 0], [0, 0, 1]],
]], undefined, "float64");
// Layer 2: head 1 is a cyclic shift (0→2, 1→0, 2→1), head 2 sends everything to token 2.
const layer2 = tensor([[
  [[0, 0, 1], [1, 0, 0], [0, 1, 0]],
  [[0, 0, 1], [0, 0, 1], [0, 0, 1]],
]], undefined, "float64");

describe("attentionRollout", () => {
  it("fuses heads by their mean, adds the residual identity and multiplies the layers (worked by hand)", () => {
    // mean heads: A1 = [[.5,.5,0],[.5,.5,0],[.5,0,.5]]   → Â1 = .5·A1 + .5·I = [[.75,.25,0],[.25,.75,0],[.25,0,.75]]
    //             A2 = [[0,0,1],[.5,0,.5],[0,.5,.5]]     → Â2 = [[.5,0,.5],[.25,.5,.25],[0,.25,.75]]
    // R = Â2·Â1: row 0 = .5·[.75,.25,0] + .5·[.25,0,.75]                      = [.5, .125, .375]
    //            row 1 = .25·[.75,.25,0] + .5·[.25,.75,0] + .25·[.25,0,.75]   = [.375, .4375, .1875]
    //            row 2 = .25·[.25,.75,0] + .75·[.25,0,.75]                    = [.25, .1875, .5625]
    const r = attentionRollout([layer1, layer2]);
    expect(r.shape).toEqual([1, 3, 3]);
    expect(Array.from(r.data)).toEqual([0.5, 0.125, 0.375, 0.375, 0.4375, 0.1875, 0.25, 0.1875, 0.5625]);
  });

  it("without the residual it is the plain product of the head-averaged maps; max fusion re-normalises rows", () => {
    // A2·A1 with A1, A2 as above: row 0 = A1 row 2 = [.5,0,.5]; row 1 = .5·[.5,.5,0] + .5·[.5,0,.5] = [.5,.25,.25]; row 2 = .5·[.5,.5,0] + .5·[.5,0,.5]
    expect(Array.from(attentionRollout([layer1, layer2], { residual: 0 }).data)).toEqual([0.5, 0, 0.5, 0.5, 0.25, 0.25, 0.5, 0.25, 0.25]);
    // max over heads of layer 1 = [[1,1,0],[1,1,0],[1,0,1]], rows / 2 after adding nothing (residual 0)
    expect(Array.from(attentionRollout([layer1], { residual: 0, headFusion: "max" }).data)).toEqual([0.5, 0.5, 0, 0.5, 0.5, 0, 0.5, 0, 0.5]);
    // already fused [B, L, L] weights are used as they are
    const fused = tensor([[[0.5, 0.5, 0], [0.5, 0.5, 0], [0.5, 0, 0.5]]], undefined, "float64");
    expect(Array.from(attentionRollout([fused]).data)).toEqual([0.75, 0.25, 0, 0.25, 0.75, 0, 0.25, 0, 0.75]);
  });

  it("rows of the rollout of random softmax maps are distributions", () => {
    const g = new Generator(3);
    const layers = [0, 1, 2].map(() => softmax(rnd([2, 4, 5, 5], g.nextUint32()), -1));
    const r = attentionRollout(layers);
    const sums = Array.from({ length: 10 }, (_, i) => Array.from(r.data.slice(i * 5, i * 5 + 5)).reduce((a, v) => a + v, 0));
    expect(sums).toBeAllclose(new Array<number>(10).fill(1), { rtol: 0, atol: 1e-12 });
    expect(r.data.every((v) => v >= 0)).toBe(true);
  });

  it("classTokenMap takes the class token's row over the patches as a grid", () => {
    const vit = new VisionTransformer({ imageSize: 4, patchSize: 2, numLayers: 2, numHeads: 2, hiddenDim: 4, mlpDim: 4, numClasses: 2, inChannels: 1, rng: new Generator(0) });
    const { weights } = vit.forwardWithAttention(rnd([2, 1, 4, 4], 1, "float32"));
    const r = attentionRollout(weights);
    const map = classTokenMap(r, vit.grid);
    expect(map.shape).toEqual([2, 2, 2]);
    expect(Array.from(map.data)).toEqual([...r.data.slice(1, 5), ...r.data.slice(25 + 1, 25 + 5)]);
  });

  it("names itself and the shapes in its errors", () => {
    expect(() => attentionRollout([])).toThrow("attentionRollout: expected at least one layer of attention weights, got none");
    expect(() => attentionRollout([layer1, zeros([1, 2, 4, 4], "float64")])).toThrow("attentionRollout: layer 1 weights must be [B, H, L, L] or [B, L, L] with B=1, L=3 (from layer 0), got [1,2,4,4]");
    expect(() => attentionRollout(layer1 as never)).toThrow("attentionRollout: expected an array of each layer's attention weights [B, H, L, L], got a Tensor");
    expect(() => attentionRollout([layer1], { residual: 2 })).toThrow("attentionRollout: residual must be in [0, 1], got 2");
    expect(() => classTokenMap(zeros([1, 5, 5]), [2, 3])).toThrow("classTokenMap: expected a rollout [B, 7, 7] for a 2×3 patch grid, got [1,5,5]");
  });
});
