import { gradCheck } from "@heed/autograd";
import { Generator, Tensor, tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { rnd } from "../../test/utils/reference.js";
import { referenceMha, refLayerNorm, refParams } from "../../test/utils/reference-mha.js";
import { ResidualSelfAttention } from "./residual-self-attention.js";

const B = 2, L = 4, E = 8, H = 2;

describe("ResidualSelfAttention", () => {
  const x = rnd([B, L, E], 1, "float32");
  const kpm = tensor([[false, false, false, true], [false, true, false, false]]);
  for (const norm of ["none", "pre", "post"] as const) {
    it(`norm='${norm}' matches x + MHA(x) with LayerNorm ${norm === "none" ? "nowhere" : norm === "pre" ? "before" : "after"}`, () => {
      const block = new ResidualSelfAttention({ embedDim: E, numHeads: H, norm, rng: new Generator(2) });
      const y = block.forward(x, { keyPaddingMask: kpm, isCausal: true });
      expect(y.shape).toEqual([B, L, E]);
      const bias = (b: number, _h: number, i: number, j: number): number => (j > i || (b === 0 && j === 3) || (b === 1 && j === 1) ? -Infinity : 0);
      const x0 = Float64Array.from(x.data);
      const ln = (t: Float64Array): Float64Array => refLayerNorm(t, E, block.norm!.weight, block.norm!.bias, 1e-5);
      const attn = (t: Float64Array): Float64Array => {
        const tt = new Tensor(t, [B, L, E]);
        return referenceMha(tt, tt, tt, refParams(block.selfAttn), H, bias).output;
      };
      const plus = (a: Float64Array, b: Float64Array): Float64Array => a.map((v, i) => v + b[i]!);
      const want = norm === "none" ? plus(x0, attn(x0)) : norm === "pre" ? plus(x0, attn(ln(x0))) : ln(plus(x0, attn(x0)));
      expect(y.data).toBeAllclose(want);
    });
  }
  it("parameter names and gradCheck", () => {
    const block = new ResidualSelfAttention({ embedDim: E, numHeads: H, norm: "pre", rng: new Generator(2), dtype: "float64" });
    expect([...block.stateDict().keys()]).toEqual(["self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight", "self_attn.out_proj.bias", "norm.weight", "norm.bias"]);
    const r = gradCheck((x) => block.forward(x, { isCausal: true }), [rnd([1, 3, E], 3)]);
    expect(r.ok, JSON.stringify(r)).toBe(true);
  });
  it("rejects an unknown norm position", () => {
    expect(() => new ResidualSelfAttention({ embedDim: E, numHeads: H, norm: "middle" as "pre" })).toThrow("ResidualSelfAttention: norm must be 'none', 'pre' or 'post', got 'middle'");
  });
});
