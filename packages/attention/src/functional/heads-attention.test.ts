import { grad, gradCheck } from "@heed/autograd";
import { concat, getBackend, listBackends, mul, narrow, permute, reshape, setBackend, sum, tensor, type Tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { maxDiff, rnd } from "../../test/utils/reference.js";
import { headsAttention, type HeadsSpec } from "./heads-attention.js";
import { memoryEfficientAttention } from "./memory-efficient.js";

/** [B, N, H·D] → [B, H, N, D]. */
const split = (x: Tensor, H: number): Tensor => {
  const [B, N, W] = x.shape as [number, number, number];
  return permute(reshape(x, [B, N, H, W / H]), [0, 2, 1, 3]);
};
/** [B, H, N, D] → [B, N, H·D]. */
const merge = (x: Tensor): Tensor => {
  const [B, H, N, D] = x.shape as [number, number, number, number];
  return reshape(permute(x, [0, 2, 1, 3]), [B, N, H * D]);
};

describe("headsAttention (heads read in place from [B, L, H·D])", () => {
  const [B, H, L, S, E, Ev] = [2, 3, 5, 6, 4, 2];
  const cases: [string, (dtype: "float32" | "float64") => Omit<HeadsSpec, "H" | "scale">][] = [
    ["no mask", () => ({ mask: null, causal: false, dropoutP: 0, dropoutSeed: 0 })],
    ["causal + dropout", () => ({ mask: null, causal: true, dropoutP: 0.25, dropoutSeed: 99 })],
    ["key padding [B,1,1,S] bool", () => ({ mask: tensor([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0], [B, 1, 1, S], "bool"), causal: false, dropoutP: 0, dropoutSeed: 0 })],
    ["float mask [1,1,L,S]", (dtype) => ({ mask: rnd([1, 1, L, S], 7, dtype), causal: false, dropoutP: 0, dropoutSeed: 0 })],
  ];
  const backends = listBackends();
  for (const backend of backends) {
    for (const [name, make] of cases) {
      it(`${backend}: ${name}: values and gradients equal memoryEfficientAttention on split heads`, () => {
        const before = getBackend();
        try {
          setBackend(backend);
          const dtype = backend === "js" ? "float64" : "float32";
          const tol = dtype === "float64" ? 1e-12 : 2e-6;
          const q = rnd([B, L, H * E], 1, dtype), k = rnd([B, S, H * E], 2, dtype), v = rnd([B, S, H * Ev], 3, dtype);
          const w = rnd([B, L, H * Ev], 4, dtype);
          const spec = { H, scale: 0.8, ...make(dtype) };
          const viaHeads = (q: Tensor, k: Tensor, v: Tensor): Tensor => headsAttention(q, k, v, spec);
          const viaSplit = (q: Tensor, k: Tensor, v: Tensor): Tensor =>
            merge(memoryEfficientAttention(split(q, H), split(k, H), split(v, H), { ...spec, fn: "test", batchShape: [B, H], L, S, E, Ev }));
          expect(maxDiff(viaHeads(q, k, v).data, viaSplit(q, k, v).data)).toBeLessThan(tol);
          const loss = (f: typeof viaHeads) => (q: Tensor, k: Tensor, v: Tensor): Tensor => sum(mul(f(q, k, v), w));
          const g1 = grad(loss(viaHeads), [0, 1, 2])(q, k, v);
          const g2 = grad(loss(viaSplit), [0, 1, 2])(q, k, v);
          g1.forEach((g, i) => expect(maxDiff(g.data, g2[i]!.data)).toBeLessThan(tol));
        } finally {
          setBackend(before);
        }
      });
    }
  }
});

describe("headsAttention on packed projections (q | k | v columns of one tensor)", () => {
  const [B, H, L, S, D] = [2, 2, 5, 6, 3];
  const HD = H * D;
  const spec = { H, scale: 0.7, mask: null, causal: true, dropoutP: 0.2, dropoutSeed: 5 };
  const cols = (tensor: Tensor, i: number) => ({ tensor, column: i * HD, width: HD });
  // the packed tensor's gradient, built from separate q, k, v inputs: concat is the oracle
  const selfPacked = (qkv: Tensor): Tensor => headsAttention(cols(qkv, 0), cols(qkv, 1), cols(qkv, 2), spec);
  const selfSplit = (qkv: Tensor): Tensor => headsAttention(narrow(qkv, 2, 0, HD), narrow(qkv, 2, HD, HD), narrow(qkv, 2, 2 * HD, HD), spec);
  const crossPacked = (q: Tensor, kv: Tensor): Tensor => headsAttention(q, cols(kv, 0), cols(kv, 1), { ...spec, causal: false });
  const crossSplit = (q: Tensor, kv: Tensor): Tensor => headsAttention(q, narrow(kv, 2, 0, HD), narrow(kv, 2, HD, HD), { ...spec, causal: false });
  for (const backend of listBackends()) {
    it(`${backend}: values and gradients equal the split projections (self: [B, L, 3·H·D]; cross: kv [B, S, 2·H·D])`, () => {
      const before = getBackend();
      try {
        setBackend(backend);
        const dtype = backend === "js" ? "float64" : "float32";
        const tol = dtype === "float64" ? 1e-12 : 2e-6;
        const qkv = rnd([B, L, 3 * HD], 1, dtype), q = rnd([B, L, HD], 2, dtype), kv = rnd([B, S, 2 * HD], 3, dtype);
        const w = rnd([B, L, HD], 4, dtype);
        expect(maxDiff(selfPacked(qkv).data, selfSplit(qkv).data)).toBeLessThan(tol);
        expect(maxDiff(crossPacked(q, kv).data, crossSplit(q, kv).data)).toBeLessThan(tol);
        const loss = <T extends Tensor[]>(f: (...t: T) => Tensor) => (...t: T): Tensor => sum(mul(f(...t), w));
        const [gSelf] = grad(loss(selfPacked), [0])(qkv);
        const [gSelfSplit] = grad(loss(selfSplit), [0])(qkv);
        expect(gSelf!.shape).toEqual([B, L, 3 * HD]);
        expect(maxDiff(gSelf!.data, gSelfSplit!.data)).toBeLessThan(tol);
        const gCross = grad(loss(crossPacked), [0, 1])(q, kv);
        const gCrossSplit = grad(loss(crossSplit), [0, 1])(q, kv);
        gCross.forEach((g, i) => expect(maxDiff(g.data, gCrossSplit[i]!.data)).toBeLessThan(tol));
        // and the three column blocks of the packed gradient are the three split gradients
        const parts = grad((a: Tensor, b: Tensor, c: Tensor) => sum(mul(selfPacked(concat([a, b, c], 2)), w)), [0, 1, 2])(
          narrow(qkv, 2, 0, HD), narrow(qkv, 2, HD, HD), narrow(qkv, 2, 2 * HD, HD));
        expect(maxDiff(concat(parts, 2).data, gSelf!.data)).toBeLessThan(tol);
      } finally {
        setBackend(before);
      }
    });
  }

  it("gradCheck (float64, finite differences): packed self- and cross-attention", () => {
    const before = getBackend();
    try {
      setBackend("js");
      const noDrop = { ...spec, dropoutP: 0 };
      expect(gradCheck((qkv) => headsAttention(cols(qkv, 0), cols(qkv, 1), cols(qkv, 2), noDrop), [rnd([B, L, 3 * HD], 6)]).ok).toBe(true);
      expect(gradCheck((q, kv) => headsAttention(q, cols(kv, 0), cols(kv, 1), { ...noDrop, causal: false }), [rnd([B, L, HD], 7), rnd([B, S, 2 * HD], 8)]).ok).toBe(true);
    } finally {
      setBackend(before);
    }
  });
});
