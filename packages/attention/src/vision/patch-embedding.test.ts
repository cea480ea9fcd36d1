import { gradCheck } from "@heed/autograd";
import { Generator, zeros, type Tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { paramGradFailures } from "../../test/utils/param-grads.js";
import { rnd } from "../../test/utils/reference.js";
import { PatchEmbedding } from "./patch-embedding.js";

/** torch.nn.functional.conv2d(x, weight, bias, stride=P) with loops, float64: [B, C, Hp, Wp] → [B, E, h, w]. */
function conv2dStrided(x: Tensor, weight: Tensor, bias: Tensor | null, P: number): Float64Array {
  const [B, C, Hp, Wp] = x.shape as [number, number, number, number];
  const E = weight.shape[0]!;
  const h = Hp / P, w = Wp / P;
  const out = new Float64Array(B * E * h * w);
  for (let b = 0; b < B; b++) for (let e = 0; e < E; e++) for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) {
    let s = bias?.data[e] ?? 0;
    for (let c = 0; c < C; c++) for (let di = 0; di < P; di++) for (let dj = 0; dj < P; dj++) {
      s += x.data[((b * C + c) * Hp + i * P + di) * Wp + j * P + dj]! * weight.data[((e * C + c) * P + di) * P + dj]!;
    }
    out[((b * E + e) * h + i) * w + j] = s;
  }
  return out;
}

/** conv output [B, E, h, w] → flatten(2).transpose(1, 2) = [B, h·w, E], as torchvision's _process_input. */
function toTokens(conv: Float64Array, B: number, E: number, N: number): Float64Array {
  const out = new Float64Array(B * N * E);
  for (let b = 0; b < B; b++) for (let e = 0; e < E; e++) for (let n = 0; n < N; n++) out[(b * N + n) * E + e] = conv[(b * E + e) * N + n]!;
  return out;
}

describe("PatchEmbedding", () => {
  it.each([
    { B: 2, C: 1, Hp: 28, Wp: 28, P: 7, E: 16 },
    { B: 1, C: 3, Hp: 8, Wp: 12, P: 4, E: 5 },
    { B: 3, C: 2, Hp: 6, Wp: 6, P: 1, E: 4 },
    { B: 1, C: 1, Hp: 5, Wp: 5, P: 5, E: 3 },
  ])("shape and values match a strided conv2d, flattened and transposed ($B×$C×$Hp×$Wp, P=$P, E=$E)", ({ B, C, Hp, Wp, P, E }) => {
    const embed = new PatchEmbedding({ inChannels: C, patchSize: P, embedDim: E, rng: new Generator(1) });
    embed.bias!.data.set(rnd([E], 9, "float32").data); // torchvision initialises the bias to 0; test a non-zero one
    const x = rnd([B, C, Hp, Wp], 2, "float32");
    const y = embed.forward(x);
    const N = (Hp / P) * (Wp / P);
    expect(y.shape).toEqual([B, N, E]);
    expect(embed.patches(x).shape).toEqual([B, N, C * P * P]);
    expect(y.data).toBeAllclose(toTokens(conv2dStrided(x, embed.weight, embed.bias, P), B, E, N));
  });

  it("has the convolution's parameter names, shapes and torchvision's initialisation", () => {
    const embed = new PatchEmbedding({ inChannels: 3, patchSize: 4, embedDim: 64, rng: new Generator(0) });
    expect([...embed.stateDict()].map(([k, v]) => [k, v.shape])).toEqual([["weight", [64, 3, 4, 4]], ["bias", [64]]]);
    const w = Array.from(embed.weight.data);
    const std = Math.sqrt(w.reduce((s, v) => s + v * v, 0) / w.length);
    expect(std).toBeGreaterThan(0.9 * Math.sqrt(1 / 48));
    expect(std).toBeLessThan(1.1 * Math.sqrt(1 / 48));
    expect(embed.bias!.data.every((v) => v === 0)).toBe(true);
    expect(new PatchEmbedding({ inChannels: 1, patchSize: 2, embedDim: 2, bias: false }).bias).toBeNull();
  });

  it("is differentiable: gradCheck in float64 with respect to the image, the weight and the bias", () => {
    const embed = new PatchEmbedding({ inChannels: 2, patchSize: 2, embedDim: 3, rng: new Generator(3), dtype: "float64" });
    embed.bias!.data.set(rnd([3], 7).data);
    expect(gradCheck((x) => embed.forward(x), [rnd([2, 2, 4, 6], 4)]).ok).toBe(true);
    const x = rnd([2, 2, 4, 4], 5);
    expect(paramGradFailures(embed, () => embed.forward(x))).toEqual([]);
  });

  it("names the function, the expected and the received shape in its errors", () => {
    const embed = new PatchEmbedding({ inChannels: 1, patchSize: 7, embedDim: 4 });
    expect(() => embed.forward(zeros([2, 3, 28, 28]))).toThrow("PatchEmbedding.forward: expected an image batch [B, 1, height, width], got [2,3,28,28]");
    expect(() => embed.forward(zeros([2, 28, 28]))).toThrow("expected an image batch [B, 1, height, width], got [2,28,28]");
    expect(() => embed.forward(zeros([2, 1, 28, 30]))).toThrow("PatchEmbedding.forward: image height number 28 and width number 30 must be positive multiples of patchSize 7");
    expect(() => embed.forward([[0]] as never)).toThrow("PatchEmbedding.forward: expected an image batch [B, 1, height, width] as a Tensor, got an array […]");
    expect(() => embed.grid(14, 10)).toThrow("PatchEmbedding.grid: image height number 14 and width number 10 must be positive multiples of patchSize 7");
    expect(() => new PatchEmbedding({ inChannels: 1, patchSize: 0, embedDim: 4 })).toThrow("PatchEmbedding: patchSize must be a positive integer, got number 0");
    expect(() => new PatchEmbedding({ inChannels: "1", patchSize: 7, embedDim: 4 } as never)).toThrow("PatchEmbedding: inChannels must be a positive integer, got string '1'");
  });
});
