/**
 * Multi-head attention on a backend with native fused kernels (wasm), float32, no weights:
 * the heads are read in place from the [B, ·, E] projections (headsAttention, no head
 * permutes). Output and every gradient must equal the split-heads path, which the js backend
 * takes (same dropout seed: both draw it once per call from the generator).
 */
import { grad } from "@heed/autograd";
import { Generator, getBackend, hasNativeFusedKernel, mul, setBackend, sum, tensor, type Tensor } from "@heed/tensor-core";
import { afterAll, describe, expect, it } from "vitest";
import { maxDiff, rnd } from "../../test/utils/reference.js";
import { multiHeadAttentionForward, type MhaForwardOptions, type MhaParams } from "./mha-functional.js";
import { mhaPath } from "./mha-path.js";

const initial = getBackend();
afterAll(() => void setBackend(initial));

const [B, L, S, E, H] = [3, 7, 10, 16, 4];

interface Case { name: string; self?: boolean; kvSame?: boolean; kdim?: number; vdim?: number; dropout?: number; opts?: (dtype: "float32") => MhaForwardOptions }

const cases: Case[] = [
  { name: "self-attention, packed projection, causal", self: true, opts: () => ({ isCausal: true }) },
  { name: "cross-attention, key === value (k and v projected by one matmul), causal", kvSame: true, opts: () => ({ isCausal: true }) },
  { name: "cross-attention with key padding and dropout", dropout: 0.2, opts: () => ({ keyPaddingMask: tensor(Array.from({ length: B * S }, (_, x) => x % S >= 10 - (x / S | 0) * 3), [B, S], "bool") }) },
  { name: "kdim / vdim, float attnMask [L, S]", kdim: 5, vdim: 11, opts: (dtype) => ({ attnMask: rnd([L, S], 21, dtype) }) },
  { name: "bool attnMask [B·H, L, S] and key padding", opts: () => ({
    attnMask: tensor(Array.from({ length: B * H * L * S }, (_, x) => x % 7 === 3), [B * H, L, S], "bool"),
    keyPaddingMask: tensor(Array.from({ length: B * S }, (_, x) => x % S === S - 1), [B, S], "bool"),
  }) },
];

function run(c: Case, backend: string): Tensor[] {
  expect(setBackend(backend)).toBe(true);
  const dtype = "float32" as const;
  const kdim = c.kdim ?? E, vdim = c.vdim ?? E;
  const packed = kdim === E && vdim === E;
  const q = rnd([B, L, E], 1, dtype);
  const k = c.self ? q : rnd([B, S, kdim], 2, dtype);
  const v = c.self ? q : rnd([B, S, vdim], 3, dtype);
  const params: Tensor[] = packed
    ? [rnd([3 * E, E], 10, dtype)]
    : [rnd([E, E], 11, dtype), rnd([E, kdim], 12, dtype), rnd([E, vdim], 13, dtype)];
  params.push(rnd([3 * E], 14, dtype), rnd([E, E], 16, dtype), rnd([E], 15, dtype));
  const w = rnd([B, L, E], 4, dtype);
  const opts = { ...c.opts?.(dtype), needWeights: false };
  const f = (...ts: Tensor[]): Tensor => {
    const [query, key, value, ...ps] = ts as [Tensor, Tensor, Tensor, ...Tensor[]];
    const n = ps.length;
    const p: MhaParams = {
      inProjWeight: packed ? ps[0]! : null, qProjWeight: packed ? null : ps[0]!, kProjWeight: packed ? null : ps[1]!, vProjWeight: packed ? null : ps[2]!,
      inProjBias: ps[n - 3]!, outProjWeight: ps[n - 2]!, outProjBias: ps[n - 1]!, biasK: null, biasV: null,
    };
    const cfg = { numHeads: H, addZeroAttn: false, dropoutP: c.dropout ?? 0, rng: new Generator(5) };
    const k = c.self ? query : key;
    const r = multiHeadAttentionForward(query, k, c.self || c.kvSame ? k : value, p, cfg, opts);
    expect(r.weights).toBeNull();
    return r.output;
  };
  const args = [q, k, v, ...params];
  const out = f(...args);
  const grads = grad((...ts: Tensor[]) => sum(mul(f(...ts), w)), args.map((_, i) => i))(...args);
  return [out, ...grads];
}

describe("MultiHeadAttention with heads read in place (native fused kernels, float32)", () => {
  it("is the path wasm takes", () => {
    expect(setBackend("wasm")).toBe(true);
    expect(hasNativeFusedKernel("attentionForward") && hasNativeFusedKernel("attentionBackward")).toBe(true);
    expect(setBackend("js")).toBe(true);
    expect(hasNativeFusedKernel("attentionForward")).toBe(false);
  });

  it("mhaPath names the choice: heads in place only without weights or extra keys, on native fused float32", () => {
    expect(setBackend("wasm")).toBe(true);
    expect(mhaPath({ needWeights: false, extraKeys: 0, dtype: "float32" })).toBe("headsInPlace");
    expect(mhaPath({ needWeights: true, extraKeys: 0, dtype: "float32" })).toBe("splitHeads");
    expect(mhaPath({ needWeights: false, extraKeys: 1, dtype: "float32" })).toBe("splitHeads");
    expect(mhaPath({ needWeights: false, extraKeys: 0, dtype: "float64" })).toBe("splitHeads");
    expect(setBackend("js")).toBe(true);
    expect(mhaPath({ needWeights: false, extraKeys: 0, dtype: "float32" })).toBe("splitHeads");
  });

  it("self-attention projects q, k and v with ONE linear layer (no slices of in_proj_weight); key === value with two", () => {
    expect(setBackend("wasm")).toBe(true);
    const ops = (t: Tensor): string[] => {
      const names: string[] = [];
      const seen = new Set<unknown>();
      const walk = (x: Tensor): void => {
        const node = x.gradFn as { name: string; inputs: readonly Tensor[] } | null;
        if (node === null || seen.has(node)) return;
        seen.add(node);
        names.push(node.name);
        node.inputs.forEach(walk);
      };
      walk(t);
      return names.sort();
    };
    const p: MhaParams = {
      inProjWeight: rnd([3 * E, E], 10, "float32").requiresGrad_(), qProjWeight: null, kProjWeight: null, vProjWeight: null,
      inProjBias: rnd([3 * E], 14, "float32").requiresGrad_(), outProjWeight: rnd([E, E], 16, "float32").requiresGrad_(), outProjBias: rnd([E], 15, "float32").requiresGrad_(),
      biasK: null, biasV: null,
    };
    const cfg = { numHeads: H, addZeroAttn: false, dropoutP: 0, rng: new Generator(5) };
    const [x, m] = [rnd([B, L, E], 1, "float32"), rnd([B, S, E], 2, "float32")];
    const linear = (names: string[]): number => names.filter((n) => /linear/.test(n)).length;
    const self = ops(multiHeadAttentionForward(x, x, x, p, cfg, { needWeights: false }).output);
    expect(linear(self)).toBe(2);
    expect(self.filter((n) => /slice/.test(n))).toEqual([]);
    expect(linear(ops(multiHeadAttentionForward(x, m, m, p, cfg, { needWeights: false }).output))).toBe(3);
    expect(linear(ops(multiHeadAttentionForward(x, m, rnd([B, S, E], 3, "float32"), p, cfg, { needWeights: false }).output))).toBe(4);
  });

  for (const c of cases) {
    it(`${c.name}: output and gradients equal the split-heads path`, () => {
      const heads = run(c, "wasm");
      const split = run(c, "js");
      expect(heads.length).toBe(split.length);
      heads.forEach((t, i) => {
        expect(t.shape, `${i}`).toEqual(split[i]!.shape);
        // float32 sums of up to B·L products of values up to ~10: errors relative to the largest entry
        const scale = Math.max(1, ...Array.from(split[i]!.data, Math.abs));
        expect(maxDiff(t.data, split[i]!.data) / scale, `${c.name}: tensor ${i}`).toBeLessThan(2e-5);
      });
    });
  }
});
