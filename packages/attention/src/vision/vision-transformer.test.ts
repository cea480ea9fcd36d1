import { gradCheck } from "@heed/autograd";
import { init } from "@heed/nn";
import { Generator, Tensor, zeros } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { paramGradFailures } from "../../test/utils/param-grads.js";
import { referenceMha, refLayerNorm, refLinear, refParams } from "../../test/utils/reference-mha.js";
import { rnd } from "../../test/utils/reference.js";
import { VisionTransformer, type VisionTransformerOptions } from "./vision-transformer.js";

const erf = (x: number): number => {
  let sum = 0, term = x, n = 0; // Maclaurin series, exact to double precision for the |x| seen here
  while (Math.abs(term) > 1e-17 && n < 300) {
    sum += term / (2 * n + 1);
    n++;
    term *= (-x * x) / n;
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
};
const gelu = (v: number): number => 0.5 * v * (1 + erf(v / Math.SQRT2));

const tiny: VisionTransformerOptions = { imageSize: [4, 6], patchSize: 2, numLayers: 2, numHeads: 2, hiddenDim: 4, mlpDim: 6, numClasses: 3, inChannels: 1 };

/** A ViT with every parameter random (torchvision zero-initialises the class token and the head). */
function randomVit(dtype: "float32" | "float64", seed = 1): VisionTransformer {
  const vit = new VisionTransformer({ ...tiny, rng: new Generator(seed), dtype });
  const g = new Generator(seed + 100);
  for (const p of vit.parameters()) init.normal_(p, 0, 0.5, g);
  return vit.eval();
}

/** The ViT written out with float64 loops: patches, class token, pre-norm layers, head. */
function referenceVit(vit: VisionTransformer, x: Tensor): Float64Array {
  const [B, C, Hp, Wp] = x.shape as [number, number, number, number];
  const P = vit.convProj.patchSize, E = vit.convProj.embedDim;
  const [h, w] = [Hp / P, Wp / P], L = h * w + 1;
  const tokens = new Float64Array(B * L * E);
  for (let b = 0; b < B; b++) {
    for (let e = 0; e < E; e++) tokens[b * L * E + e] = vit.classToken.data[e]! + vit.encoder.posEmbedding.data[e]!;
    for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) for (let e = 0; e < E; e++) {
      let s = vit.convProj.bias!.data[e]!;
      for (let c = 0; c < C; c++) for (let di = 0; di < P; di++) for (let dj = 0; dj < P; dj++) {
        s += x.data[((b * C + c) * Hp + i * P + di) * Wp + j * P + dj]! * vit.convProj.weight.data[((e * C + c) * P + di) * P + dj]!;
      }
      const t = 1 + i * w + j;
      tokens[(b * L + t) * E + e] = s + vit.encoder.posEmbedding.data[t * E + e]!;
    }
  }
  let hcur: Float64Array = tokens;
  const add = (a: Float64Array, c: Float64Array): Float64Array => a.map((v, i) => v + c[i]!);
  for (const blk of vit.encoder.layers.blocks) {
    const n1 = refLayerNorm(hcur, E, blk.ln1.weight, blk.ln1.bias, 1e-6);
    const t = new Tensor(n1, [B, L, E], "float64");
    const sa = referenceMha(t, t, t, refParams(blk.selfAttention), blk.selfAttention.numHeads, () => 0).output;
    const y = add(hcur, sa);
    const fc1 = blk.mlp.at(0) as unknown as { weight: Tensor; bias: Tensor };
    const fc2 = blk.mlp.at(3) as unknown as { weight: Tensor; bias: Tensor };
    const m = refLinear(refLinear(refLayerNorm(y, E, blk.ln2.weight, blk.ln2.bias, 1e-6), fc1.weight, fc1.bias, gelu), fc2.weight, fc2.bias);
    hcur = add(y, m);
  }
  const normed = refLayerNorm(hcur, E, vit.encoder.ln.weight, vit.encoder.ln.bias, 1e-6);
  const cls = new Float64Array(B * E);
  for (let b = 0; b < B; b++) cls.set(normed.subarray(b * L * E, b * L * E + E), b * E);
  return refLinear(cls, vit.heads.head.weight, vit.heads.head.bias);
}

describe("VisionTransformer", () => {
  it("has torchvision's state-dict names, order and shapes", () => {
    const vit = new VisionTransformer({ ...tiny, numLayers: 1 });
    expect([...vit.stateDict()].map(([k, v]) => `${k} ${v.shape.join("x")}`)).toEqual([
      "class_token 1x1x4", "conv_proj.weight 4x1x2x2", "conv_proj.bias 4", "encoder.pos_embedding 1x7x4",
      "encoder.layers.encoder_layer_0.ln_1.weight 4", "encoder.layers.encoder_layer_0.ln_1.bias 4",
      "encoder.layers.encoder_layer_0.self_attention.in_proj_weight 12x4", "encoder.layers.encoder_layer_0.self_attention.in_proj_bias 12",
      "encoder.layers.encoder_layer_0.self_attention.out_proj.weight 4x4", "encoder.layers.encoder_layer_0.self_attention.out_proj.bias 4",
      "encoder.layers.encoder_layer_0.ln_2.weight 4", "encoder.layers.encoder_layer_0.ln_2.bias 4",
      "encoder.layers.encoder_layer_0.mlp.0.weight 6x4", "encoder.layers.encoder_layer_0.mlp.0.bias 6",
      "encoder.layers.encoder_layer_0.mlp.3.weight 4x6", "encoder.layers.encoder_layer_0.mlp.3.bias 4",
      "encoder.ln.weight 4", "encoder.ln.bias 4", "heads.head.weight 3x4", "heads.head.bias 3",
    ]);
    expect(vit.grid).toEqual([2, 3]);
    expect(vit.classToken.data.every((v) => v === 0) && vit.heads.head.weight.data.every((v) => v === 0)).toBe(true);
  });

  it("matches a float64 loop reference (float32 within 1e-4 / 1e-5)", () => {
    const x = rnd([3, 1, 4, 6], 2, "float32");
    const vit = randomVit("float32");
    const y = vit.forward(x);
    expect(y.shape).toEqual([3, 3]);
    expect(y.data).toBeAllclose(referenceVit(vit, x));
    const withWeights = vit.forwardWithAttention(x);
    expect(withWeights.logits.data).toBeAllclose(y.data, { rtol: 1e-5, atol: 1e-6 });
    expect(withWeights.weights.map((t) => t.shape)).toEqual([[3, 2, 7, 7], [3, 2, 7, 7]]);
  });

  it("gradCheck in float64: the image and every parameter", () => {
    const vit = randomVit("float64", 3);
    expect(gradCheck((x) => vit.forward(x), [rnd([2, 1, 4, 6], 4)]).ok).toBe(true);
    const x = rnd([2, 1, 4, 6], 5);
    expect(paramGradFailures(vit, () => vit.forward(x))).toEqual([]);
  });

  it("the same seed gives the same model and the same dropout masks", () => {
    const make = () => new VisionTransformer({ ...tiny, dropout: 0.3, attentionDropout: 0.3, rng: new Generator(7) });
    const a = make(), b = make();
    const x = rnd([2, 1, 4, 6], 1, "float32");
    for (const p of [...a.parameters(), ...b.parameters()]) init.normal_(p, 0, 0.5, new Generator(p.size));
    expect(a.forward(x).data).toEqual(b.forward(x).data);
    expect(a.eval().forward(x).data).toEqual(a.forward(x).data);
  });

  it("refuses bad options and images with one clear error", () => {
    expect(() => new VisionTransformer({ ...tiny, hiddenDim: 5 })).toThrow("VisionTransformer: hiddenDim 5 is not divisible by numHeads 2");
    expect(() => new VisionTransformer({ ...tiny, imageSize: 5 })).toThrow("VisionTransformer: imageSize must be a positive multiple of patchSize 2, or [height, width] of such multiples, got number 5");
    expect(() => new VisionTransformer({ ...tiny, imageSize: "4" } as never)).toThrow("VisionTransformer: imageSize must be a positive multiple of patchSize 2, or [height, width] of such multiples, got string '4'");
    expect(() => new VisionTransformer({ ...tiny, imageSize: [4, 6, 1] } as never)).toThrow("got an array [4, 6, 1]");
    expect(() => new VisionTransformer({ ...tiny, numLayers: 0 })).toThrow("VisionTransformer: numLayers must be a positive integer, got number 0");
    expect(() => new VisionTransformer({ ...tiny, patchSize: "2" } as never)).toThrow("VisionTransformer: patchSize must be a positive integer, got string '2'");
    expect(() => new VisionTransformer(undefined as never)).toThrow("VisionTransformer: patchSize must be a positive integer, got undefined");
    const vit = new VisionTransformer(tiny);
    expect(() => vit.forward(zeros([2, 1, 6, 4]))).toThrow("VisionTransformer.forward: expected images [B, 1, 4, 6] (NCHW, as torchvision), got [2,1,6,4]");
    // channels-last images and a wrong channel count are named by the function the user called
    expect(() => vit.forward(zeros([2, 4, 6, 1]))).toThrow("VisionTransformer.forward: expected images [B, 1, 4, 6] (NCHW, as torchvision), got [2,4,6,1]");
    expect(() => vit.forward(zeros([2, 3, 4, 6]))).toThrow("VisionTransformer.forward: expected images [B, 1, 4, 6] (NCHW, as torchvision), got [2,3,4,6]");
    expect(() => vit.forward([[0]] as never)).toThrow("VisionTransformer.forward: expected images [B, 1, 4, 6] (NCHW, as torchvision) as a Tensor, got an array […]");
  });
});
