import { parseSafetensors, serializeSafetensors } from "@heed/nn";
import { Generator, tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { rnd } from "../../test/utils/reference.js";
import { MultiHeadAttention } from "./multi-head-attention.js";

const shapes = (m: MultiHeadAttention): Record<string, number[]> =>
  Object.fromEntries([...m.stateDict()].map(([k, v]) => [k, [...v.shape]]));

describe("MultiHeadAttention parameters", () => {
  it("PyTorch names, layout and order", () => {
    expect(shapes(new MultiHeadAttention({ embedDim: 8, numHeads: 2 }))).toEqual({
      in_proj_weight: [24, 8], in_proj_bias: [24], "out_proj.weight": [8, 8], "out_proj.bias": [8],
    });
    expect(Object.keys(shapes(new MultiHeadAttention({ embedDim: 8, numHeads: 2 })))).toEqual(["in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"]);
    expect(shapes(new MultiHeadAttention({ embedDim: 8, numHeads: 2, kdim: 5, vdim: 3, addBiasKV: true }))).toEqual({
      q_proj_weight: [8, 8], k_proj_weight: [8, 5], v_proj_weight: [8, 3], in_proj_bias: [24], bias_k: [1, 1, 8], bias_v: [1, 1, 8],
      "out_proj.weight": [8, 8], "out_proj.bias": [8],
    });
    expect(shapes(new MultiHeadAttention({ embedDim: 8, numHeads: 2, bias: false }))).toEqual({ in_proj_weight: [24, 8], "out_proj.weight": [8, 8] });
  });

  it("PyTorch's initialisation: xavier_uniform in_proj, zero biases", () => {
    const m = new MultiHeadAttention({ embedDim: 16, numHeads: 4, rng: new Generator(1) });
    const bound = Math.sqrt(6 / (16 + 48));
    const w = Array.from(m.inProjWeight!.data);
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(bound);
    expect(Math.max(...w.map(Math.abs))).toBeGreaterThan(bound * 0.9);
    expect(Array.from(m.inProjBias!.data).every((x) => x === 0)).toBe(true);
    expect(Array.from(m.outProj.bias!.data).every((x) => x === 0)).toBe(true);
    const again = new MultiHeadAttention({ embedDim: 16, numHeads: 4, rng: new Generator(1) });
    expect(again.inProjWeight!.data).toEqual(m.inProjWeight!.data);
  });

  it("state dict round trip through safetensors gives the same outputs", () => {
    const a = new MultiHeadAttention({ embedDim: 8, numHeads: 2, kdim: 6, vdim: 4, addBiasKV: true, rng: new Generator(1) });
    const b = new MultiHeadAttention({ embedDim: 8, numHeads: 2, kdim: 6, vdim: 4, addBiasKV: true, rng: new Generator(2) });
    const q = rnd([2, 3, 8], 1, "float32");
    const k = rnd([2, 5, 6], 2, "float32");
    const v = rnd([2, 5, 4], 3, "float32");
    expect(b.forward(q, k, v).output.data).not.toEqual(a.forward(q, k, v).output.data);
    const bytes = serializeSafetensors(a.stateDict());
    b.loadStateDict(parseSafetensors(bytes).tensors);
    expect(b.forward(q, k, v).output.data).toEqual(a.forward(q, k, v).output.data);
  });

  it("dropout on the weights in training mode only", () => {
    const m = new MultiHeadAttention({ embedDim: 8, numHeads: 2, dropout: 0.5, rng: new Generator(1) });
    const x = rnd([2, 6, 8], 1, "float32");
    const train = m.forward(x, x, x, { averageAttnWeights: false }).weights!;
    expect(Array.from(train.data).filter((w) => w === 0).length).toBeGreaterThan(10);
    m.eval();
    const evalW = m.forward(x, x, x, { averageAttnWeights: false }).weights!;
    expect(Array.from(evalW.data).every((w) => w > 0)).toBe(true);
  });
});

describe("MultiHeadAttention errors name the function, the argument and the shapes", () => {
  const m = new MultiHeadAttention({ embedDim: 8, numHeads: 2 });
  const x = rnd([2, 3, 8], 1, "float32");
  const kv = rnd([2, 4, 8], 2, "float32");
  it("embedDim not divisible by numHeads", () => {
    expect(() => new MultiHeadAttention({ embedDim: 10, numHeads: 3 })).toThrow("MultiHeadAttention: embedDim 10 is not divisible by numHeads 3");
  });
  it("wrong widths and lengths", () => {
    expect(() => m.forward(rnd([2, 3, 6], 1, "float32"), kv, kv)).toThrow(/MultiHeadAttention.forward: expected query width embedDim=8, .* \(query: \[2,3,6\], key: \[2,4,8\], value: \[2,4,8\]\)/);
    expect(() => m.forward(x, kv, rnd([2, 5, 8], 3, "float32"))).toThrow(/key and value S .*value: \[2,5,8\]/);
  });
  it("masks of the wrong shape or dtype", () => {
    expect(() => m.forward(x, kv, kv, { attnMask: tensor([[true, false, false]]) })).toThrow(/attnMask has shape \[1,3\] but must be \[L, S\] = \[3,4\] or \[B·H, L, S\] = \[4,3,4\]/);
    expect(() => m.forward(x, kv, kv, { keyPaddingMask: tensor([[true, false, false, true]]) })).toThrow(/keyPaddingMask has shape \[1,4\] but must be \[B, S\] = \[2,4\]/);
    expect(() => m.forward(x, kv, kv, { keyPaddingMask: tensor([[1, 0, 0, 1], [0, 0, 0, 0]], undefined, "int32") })).toThrow(/keyPaddingMask must be bool \(TRUE = masked out\) or float .* got dtype 'int32'/);
  });
});
