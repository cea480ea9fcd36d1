import { grad } from "@heed/autograd";
import { getBackend, listBackends, mul, setBackend, sum, tensor, type Tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { maxDiff, rnd } from "../../test/utils/reference.js";
import { batchOffsets } from "./memory-efficient.js";
import { scaledDotProductAttention } from "./sdpa.js";
import type { AttentionOptions } from "./types.js";

/** Values and gradients (of Σ out·w, mask included when float) in both implementations. */
function both(q: Tensor, k: Tensor, v: Tensor, o: AttentionOptions): [Tensor[], Tensor[]] {
  const w = rnd([...q.shape.slice(0, -1), v.shape[v.rank - 1]!], 99, q.dtype);
  const run = (implementation: "composed" | "memoryEfficient"): Tensor[] => {
    const maskIsFloat = o.attnMask != null && o.attnMask.dtype !== "bool";
    const f = (q: Tensor, k: Tensor, v: Tensor, m?: Tensor): Tensor => sum(mul(scaledDotProductAttention(q, k, v, { ...o, attnMask: m ?? o.attnMask ?? null, implementation, returnWeights: false }), w));
    const args = maskIsFloat ? [q, k, v, o.attnMask!] : [q, k, v];
    const out = scaledDotProductAttention(q, k, v, { ...o, implementation, returnWeights: false });
    return [out, ...grad(f as (...t: Tensor[]) => Tensor, args.map((_, i) => i))(...args)];
  };
  return [run("composed"), run("memoryEfficient")];
}

describe("memory-efficient attention agrees with the composed path (float32, 1e-5)", () => {
  const B = 2, H = 2, L = 37, S = 150, E = 8, Ev = 6; // several key and query blocks
  const q = rnd([B, H, L, E], 1, "float32");
  const k = rnd([B, H, S, E], 2, "float32");
  const v = rnd([B, H, S, Ev], 3, "float32");
  const cases: [string, AttentionOptions][] = [
    ["no mask", {}],
    ["causal", { isCausal: true }],
    ["bool [B,1,L,S] mask", { attnMask: tensor(Array.from({ length: B * L * S }, (_, x) => x % 7 !== 3), [B, 1, L, S], "bool") }],
    ["float [L,S] mask with grad", { attnMask: rnd([L, S], 4, "float32") }],
    ["custom scale", { scale: 0.05 }],
  ];
  for (const backend of listBackends()) {
    for (const [name, o] of cases) {
      it(`${name} (${backend} backend)`, () => {
        const previous = getBackend();
        try {
          if (!setBackend(backend)) return; // backend unavailable here
          const [a, b] = both(q, k, v, o);
          a.forEach((t, i) => {
            expect(b[i]!.shape).toEqual(t.shape);
            expect(maxDiff(b[i]!.data, t.data)).toBeLessThan(1e-5);
          });
        } finally {
          setBackend(previous);
        }
      });
    }
  }
  it("causal with L > S", () => {
    const [a, b] = both(rnd([1, 90, 4], 5, "float32"), rnd([1, 70, 4], 6, "float32"), rnd([1, 70, 3], 7, "float32"), { isCausal: true });
    a.forEach((t, i) => expect(maxDiff(b[i]!.data, t.data)).toBeLessThan(1e-5));
  });
});

describe("implementation choice", () => {
  const nodeName = (t: Tensor): string => (t.gradFn as { name?: string } | null)?.name ?? "";
  it("auto picks the memory-efficient path when L·S > 2^20 and the composed one below", () => {
    const big = scaledDotProductAttention(rnd([1025, 1], 1, "float32").requiresGrad_(), rnd([1025, 1], 2, "float32"), rnd([1025, 1], 3, "float32"));
    expect(nodeName(big)).toContain("memoryEfficientAttention");
    const small = scaledDotProductAttention(rnd([4, 2], 1).requiresGrad_(), rnd([5, 2], 2), rnd([5, 2], 3));
    expect(nodeName(small)).not.toContain("memoryEfficientAttention");
  });
  it("auto picks the fused path at any size on a backend with native fused kernels (float32), composed otherwise", () => {
    const args = () => [rnd([2, 3, 2], 1, "float32").requiresGrad_(), rnd([2, 5, 2], 2, "float32"), rnd([2, 5, 2], 3, "float32")] as const;
    const before = getBackend();
    try {
      expect(setBackend("wasm")).toBe(true);
      expect(nodeName(scaledDotProductAttention(...args()))).toContain("memoryEfficientAttention");
      expect(nodeName(scaledDotProductAttention(...args(), { implementation: "composed" }))).not.toContain("memoryEfficientAttention");
      setBackend("js");
      expect(nodeName(scaledDotProductAttention(...args()))).not.toContain("memoryEfficientAttention");
    } finally {
      setBackend(before);
    }
  });
  it("batchOffsets gives broadcast dims stride 0", () => {
    expect([...batchOffsets([2, 1, 3, 4], [2, 3], 2)]).toEqual([0, 0, 0, 12, 12, 12]);
    expect([...batchOffsets([3, 4], [2, 3], 2)]).toEqual([0, 0, 0, 0, 0, 0]);
    expect([...batchOffsets([3, 5, 4], [2, 3], 2)]).toEqual([0, 20, 40, 0, 20, 40]);
  });
});
