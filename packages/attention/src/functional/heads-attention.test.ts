import { grad } from "@heed/autograd";
import { getBackend, listBackends, mul, permute, reshape, setBackend, sum, tensor, type Tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { maxDiff, rnd } from "../../test/utils/reference.js";
import { headsAttention, memoryEfficientAttention, type HeadsSpec } from "./memory-efficient.js";

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
