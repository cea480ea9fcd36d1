import { gradCheck } from "@heed/autograd";
import { parseSafetensors, serializeSafetensors } from "@heed/nn";
import { Generator, Tensor, tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { rnd } from "../../test/utils/reference.js";
import { referenceMha, refLayerNorm, refLinear, refParams } from "../../test/utils/reference-mha.js";
import type { MultiHeadAttention } from "./multi-head-attention.js";
import { TransformerDecoderLayer } from "./transformer-decoder-layer.js";
import { TransformerEncoderLayer } from "./transformer-encoder-layer.js";
import { generateSquareSubsequentMask, TransformerDecoder, TransformerEncoder } from "./transformer-stack.js";

const B = 2, L = 4, S = 5, E = 8, H = 2, F = 12;
const erf = (x: number): number => {
  // Abramowitz–Stegun 7.1.26 is too coarse; integrate the series instead (|x| small here).
  let sum = 0, term = x, n = 0;
  while (Math.abs(term) > 1e-17 && n < 200) {
    sum += term / (2 * n + 1);
    n++;
    term *= (-x * x) / n;
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
};
const ACT = { relu: (v: number) => Math.max(v, 0), gelu: (v: number) => 0.5 * v * (1 + erf(v / Math.SQRT2)) };

type Bias = (b: number, h: number, i: number, j: number) => number;
const mha = (m: MultiHeadAttention, q: Float64Array, kv: Float64Array, Lq: number, Sk: number, bias: Bias): Float64Array =>
  referenceMha(new Tensor(q, [B, Lq, E]), new Tensor(kv, [B, Sk, E]), new Tensor(kv, [B, Sk, E]), refParams(m), H, bias).output;

function refEncoder(layer: TransformerEncoderLayer, x: Float64Array, act: "relu" | "gelu", bias: Bias): Float64Array {
  const ln = (t: Float64Array, n: { weight: Tensor | null; bias: Tensor | null }): Float64Array => refLayerNorm(t, E, n.weight, n.bias, 1e-5);
  const sum = (a: Float64Array, b: Float64Array): Float64Array => a.map((v, i) => v + b[i]!);
  const ff = (t: Float64Array): Float64Array => refLinear(refLinear(t, layer.linear1.weight, layer.linear1.bias, ACT[act]), layer.linear2.weight, layer.linear2.bias);
  const sa = (t: Float64Array): Float64Array => mha(layer.selfAttn, t, t, L, L, bias);
  if (layer.normFirst) {
    const x1 = sum(x, sa(ln(x, layer.norm1)));
    return sum(x1, ff(ln(x1, layer.norm2)));
  }
  const x1 = ln(sum(x, sa(x)), layer.norm1);
  return ln(sum(x1, ff(x1)), layer.norm2);
}

describe("TransformerEncoderLayer matches a float64 reference (eval mode)", () => {
  const x = rnd([B, L, E], 1, "float32");
  const kpm = tensor([[false, false, true, false], [false, false, false, false]]);
  for (const normFirst of [false, true]) {
    for (const activation of ["relu", "gelu"] as const) {
      it(`normFirst=${normFirst}, ${activation}, causal + key padding`, () => {
        const layer = new TransformerEncoderLayer({ dModel: E, nhead: H, dimFeedforward: F, activation, normFirst, rng: new Generator(3) }).eval();
        const y = layer.forward(x, { isCausal: true, srcKeyPaddingMask: kpm });
        expect(y.shape).toEqual([B, L, E]);
        const bias: Bias = (b, _h, i, j) => (j > i || (b === 0 && j === 2) ? -Infinity : 0);
        expect(y.data).toBeAllclose(refEncoder(layer, Float64Array.from(x.data), activation, bias));
        const withMask = layer.forward(x, { srcMask: generateSquareSubsequentMask(L), srcKeyPaddingMask: kpm });
        expect(withMask.data).toBeAllclose(y.data, { rtol: 1e-5, atol: 1e-6 });
      });
    }
  }
  it("gradCheck with respect to the input", () => {
    const layer = new TransformerEncoderLayer({ dModel: E, nhead: H, dimFeedforward: F, rng: new Generator(3), dtype: "float64" }).eval();
    const r = gradCheck((x) => layer.forward(x, { isCausal: true }), [rnd([1, 3, E], 2)]);
    expect(r.ok, JSON.stringify(r)).toBe(true);
  });
  it("dropout is active in training mode only", () => {
    const layer = new TransformerEncoderLayer({ dModel: E, nhead: H, dimFeedforward: F, dropout: 0.5, rng: new Generator(3) });
    const a = layer.forward(x);
    const b = layer.forward(x);
    expect(a.data).not.toEqual(b.data);
    layer.eval();
    expect(layer.forward(x).data).toEqual(layer.forward(x).data);
  });
});

describe("TransformerDecoderLayer matches a float64 reference (eval mode)", () => {
  const tgt = rnd([B, L, E], 1, "float32");
  const memory = rnd([B, S, E], 2, "float32");
  const memKpm = tensor([[false, true, false, false, false], [false, false, false, false, true]]);
  for (const normFirst of [false, true]) {
    it(`normFirst=${normFirst}`, () => {
      const layer = new TransformerDecoderLayer({ dModel: E, nhead: H, dimFeedforward: F, normFirst, rng: new Generator(4) }).eval();
      const y = layer.forward(tgt, memory, { tgtIsCausal: true, memoryKeyPaddingMask: memKpm });
      const ln = (t: Float64Array, n: { weight: Tensor | null; bias: Tensor | null }): Float64Array => refLayerNorm(t, E, n.weight, n.bias, 1e-5);
      const sum = (a: Float64Array, b: Float64Array): Float64Array => a.map((v, i) => v + b[i]!);
      const mem = Float64Array.from(memory.data);
      const sa = (t: Float64Array): Float64Array => mha(layer.selfAttn, t, t, L, L, (_b, _h, i, j) => (j > i ? -Infinity : 0));
      const ca = (t: Float64Array): Float64Array => mha(layer.multiheadAttn, t, mem, L, S, (b, _h, _i, j) => ((b === 0 && j === 1) || (b === 1 && j === 4) ? -Infinity : 0));
      const ff = (t: Float64Array): Float64Array => refLinear(refLinear(t, layer.linear1.weight, layer.linear1.bias, ACT.relu), layer.linear2.weight, layer.linear2.bias);
      const x0 = Float64Array.from(tgt.data);
      let want: Float64Array;
      if (normFirst) {
        const x1 = sum(x0, sa(ln(x0, layer.norm1)));
        const x2 = sum(x1, ca(ln(x1, layer.norm2)));
        want = sum(x2, ff(ln(x2, layer.norm3)));
      } else {
        const x1 = ln(sum(x0, sa(x0)), layer.norm1);
        const x2 = ln(sum(x1, ca(x1)), layer.norm2);
        want = ln(sum(x2, ff(x2)), layer.norm3);
      }
      expect(y.data).toBeAllclose(want);
    });
  }
  it("gradCheck with respect to target and memory", () => {
    const layer = new TransformerDecoderLayer({ dModel: E, nhead: H, dimFeedforward: F, rng: new Generator(4), dtype: "float64" }).eval();
    const r = gradCheck((t, m) => layer.forward(t, m, { tgtIsCausal: true }), [rnd([1, 3, E], 5), rnd([1, 2, E], 6)]);
    expect(r.ok, JSON.stringify(r)).toBe(true);
  });
});

describe("Transformer parameter names and checkpoints", () => {
  it("encoder layer, decoder layer and stacks use PyTorch's state-dict names", () => {
    const enc = new TransformerEncoderLayer({ dModel: E, nhead: H, dimFeedforward: F });
    expect([...enc.stateDict().keys()]).toEqual([
      "self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight", "self_attn.out_proj.bias",
      "linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias", "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias",
    ]);
    const dec = new TransformerDecoderLayer({ dModel: E, nhead: H, dimFeedforward: F, bias: false });
    expect([...dec.stateDict().keys()]).toEqual([
      "self_attn.in_proj_weight", "self_attn.out_proj.weight", "multihead_attn.in_proj_weight", "multihead_attn.out_proj.weight",
      "linear1.weight", "linear2.weight", "norm1.weight", "norm2.weight", "norm3.weight",
    ]);
    const stack = new TransformerEncoder({ layer: { dModel: E, nhead: H, dimFeedforward: F }, numLayers: 2, norm: true });
    const keys = [...stack.stateDict().keys()];
    expect(keys).toContain("layers.1.self_attn.in_proj_weight");
    expect(keys.slice(-2)).toEqual(["norm.weight", "norm.bias"]);
    expect(keys.length).toBe(2 * 12 + 2);
  });

  it("an encoder-decoder round-trips through safetensors with identical outputs", () => {
    const make = (seed: number): [TransformerEncoder, TransformerDecoder] => {
      const layer = { dModel: E, nhead: H, dimFeedforward: F, rng: new Generator(seed) };
      return [new TransformerEncoder({ layer, numLayers: 2, norm: true }).eval(), new TransformerDecoder({ layer, numLayers: 2, norm: true }).eval()];
    };
    const [e1, d1] = make(1);
    const [e2, d2] = make(2);
    const src = rnd([B, S, E], 7, "float32");
    const tgt = rnd([B, L, E], 8, "float32");
    const run = (e: TransformerEncoder, d: TransformerDecoder): Tensor => d.forward(tgt, e.forward(src), { tgtMask: generateSquareSubsequentMask(L) });
    expect(run(e2, d2).data).not.toEqual(run(e1, d1).data);
    e2.loadStateDict(parseSafetensors(serializeSafetensors(e1.stateDict())).tensors);
    d2.loadStateDict(parseSafetensors(serializeSafetensors(d1.stateDict())).tensors);
    expect(run(e2, d2).data).toEqual(run(e1, d1).data);
  });

  it("errors name the layer and the settings", () => {
    expect(() => new TransformerEncoderLayer({ dModel: 10, nhead: 3 })).toThrow("TransformerEncoderLayer: dModel 10 is not divisible by nhead 3");
    expect(() => new TransformerDecoderLayer({ dModel: 8, nhead: 2, activation: "tanh" as "relu" })).toThrow(/activation must be 'relu' or 'gelu', got 'tanh'/);
    expect(() => new TransformerEncoder({ layer: { dModel: 8, nhead: 2 }, numLayers: 0 })).toThrow(/numLayers must be a positive integer, got 0/);
  });
});
