import { gradCheck } from "@heed/autograd";
import { Generator, tensor, type Tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { rnd } from "../../test/utils/reference.js";
import { multiHeadAttentionForward, type MhaForwardOptions, type MhaParams } from "./mha-functional.js";

const B = 2, L = 3, S = 4, E = 4, H = 2;

interface Setup {
  name: string;
  kdim?: number;
  vdim?: number;
  biasKV?: boolean;
  zeroAttn?: boolean;
  bias?: boolean;
  opts?: MhaForwardOptions;
  self?: boolean;
  dropout?: number;
}

/** Gradient check of the output (or the weights) with respect to the inputs AND every parameter, in float64. */
function check(s: Setup, wrt: "output" | "weights"): boolean {
  const kdim = s.kdim ?? E;
  const vdim = s.vdim ?? E;
  const packed = kdim === E && vdim === E;
  const names: (keyof MhaParams)[] = [];
  const values: Tensor[] = [];
  const add = (entries: [keyof MhaParams, Tensor][]): void => {
    for (const [name, t] of entries) {
      names.push(name);
      values.push(t);
    }
  };
  if (packed) add([["inProjWeight", rnd([3 * E, E], 10)]]);
  else add([["qProjWeight", rnd([E, E], 11)], ["kProjWeight", rnd([E, kdim], 12)], ["vProjWeight", rnd([E, vdim], 13)]]);
  if (s.bias !== false) add([["inProjBias", rnd([3 * E], 14)], ["outProjBias", rnd([E], 15)]]);
  add([["outProjWeight", rnd([E, E], 16)]]);
  if (s.biasKV) add([["biasK", rnd([1, 1, E], 17)], ["biasV", rnd([1, 1, E], 18)]]);
  const q = rnd([B, L, E], 1);
  const k = s.self ? q : rnd([B, S, kdim], 2);
  const v = s.self ? q : rnd([B, S, vdim], 3);
  const f = (...ts: Tensor[]): Tensor => {
    const [query, key, value, ...ps] = ts as [Tensor, Tensor, Tensor, ...Tensor[]];
    const p: MhaParams = { inProjWeight: null, qProjWeight: null, kProjWeight: null, vProjWeight: null, inProjBias: null, biasK: null, biasV: null, outProjWeight: ps[0]!, outProjBias: null };
    names.forEach((n, i) => (p[n] = ps[i]!));
    const cfg = { numHeads: H, addZeroAttn: s.zeroAttn ?? false, dropoutP: s.dropout ?? 0, rng: new Generator(3) };
    const r = multiHeadAttentionForward(query, s.self ? query : key, s.self ? query : value, p, cfg, s.opts);
    return wrt === "output" ? r.output : r.weights!;
  };
  const r = gradCheck(f, [q, k, v, ...values]);
  if (!r.ok) console.error(s.name, wrt, r);
  return r.ok;
}

describe("multiHeadAttentionForward gradients (inputs and every parameter)", () => {
  const setups: Setup[] = [
    { name: "self-attention, packed projection", self: true },
    { name: "cross-attention L != S" },
    { name: "kdim / vdim", kdim: 3, vdim: 5 },
    { name: "no bias", bias: false },
    { name: "bias_k/bias_v + zero attention + masks", biasKV: true, zeroAttn: true, opts: { attnMask: tensor([[false, true, false, false], [false, false, false, true], [true, false, false, false]]), keyPaddingMask: tensor([[false, false, true, false], [false, false, false, false]]) } },
    { name: "float attnMask [B·H,L,S] and a fully padded batch", opts: { attnMask: rnd([B * H, L, S], 20), keyPaddingMask: tensor([[true, true, true, true], [false, true, false, false]]) } },
    { name: "causal self-attention", self: true, opts: { isCausal: true } },
    { name: "per-head weights", opts: { averageAttnWeights: false } },
    { name: "needWeights false", opts: { needWeights: false } },
    { name: "dropout (fixed seed)", dropout: 0.3 },
  ];
  for (const s of setups) {
    it(s.name, () => {
      expect(check(s, "output")).toBe(true);
      if (s.opts?.needWeights !== false) expect(check(s, "weights")).toBe(true);
    });
  }
});
