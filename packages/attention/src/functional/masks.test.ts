import { gradCheck, grad } from "@heed/autograd";
import { cast, Generator, getBackend, listBackends, mul, setBackend, sum, tensor, type Tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { referenceAttention, rnd } from "../../test/utils/reference.js";
import { causalMask, deadRows } from "./masks.js";
import { scaledDotProductAttention } from "./sdpa.js";
import type { AttentionImplementation } from "./types.js";

const IMPLS: AttentionImplementation[] = ["composed", "memoryEfficient"];
const finite = (t: Tensor): boolean => Array.from(t.data).every((x) => Number.isFinite(x));

describe("fully masked rows", () => {
  // Row 1 of the bool mask hides every key; row 1 of the float mask is all -Infinity.
  const boolMask = tensor([[true, false, true], [false, false, false]]);
  const floatMask = tensor([[0, -Infinity, 0.5], [-Infinity, -Infinity, -Infinity]], undefined, "float64");
  const q = rnd([2, 2, 4], 1);
  const k = rnd([2, 3, 4], 2);
  const v = rnd([2, 3, 2], 3);
  for (const [name, mask] of [["bool", boolMask], ["float", floatMask]] as const) {
    for (const implementation of IMPLS) {
      it(`${name} mask, ${implementation}: output 0, weights 0, finite gradients`, () => {
        const out = scaledDotProductAttention(q, k, v, { attnMask: mask, implementation });
        expect(finite(out)).toBe(true);
        for (const b of [0, 1]) expect([...out.data.slice(b * 4 + 2, b * 4 + 4)]).toEqual([0, 0]);
        const bias = (_b: number, i: number, j: number): number => (i === 1 || j === 1 ? -Infinity : name === "float" && j === 2 ? 0.5 : 0);
        const ref = referenceAttention(q.data, k.data, v.data, { batch: 2, L: 2, S: 3, E: 4, Ev: 2 }, 0.5, bias);
        expect(out.data).toBeAllclose(ref.out, { rtol: 1e-10, atol: 1e-12 });
        const grads = grad((q: Tensor, k: Tensor, v: Tensor) => sum(mul(scaledDotProductAttention(q, k, v, { attnMask: mask, implementation }), 1.5)), [0, 1, 2])(q, k, v);
        for (const g of grads) expect(finite(g)).toBe(true);
        expect(gradCheck((q, k, v) => scaledDotProductAttention(q, k, v, { attnMask: mask, implementation }), [q, k, v]).ok).toBe(true);
      });
    }
  }

  it("returned weights are 0 on a fully masked row (PyTorch's math path gives NaN)", () => {
    const { weights } = scaledDotProductAttention(q, k, v, { attnMask: boolMask, returnWeights: true });
    expect([...weights.data.slice(3, 6)]).toEqual([0, 0, 0]);
    expect(finite(weights)).toBe(true);
  });

  it("a float mask's own gradient is finite too", () => {
    const m = tensor([[0, -Infinity, 0.5], [-Infinity, -Infinity, -Infinity]], undefined, "float64").requiresGrad_();
    for (const implementation of IMPLS) {
      m.grad = null;
      sum(scaledDotProductAttention(q, k, v, { attnMask: m, implementation })).backward();
      expect(Array.from(m.grad!.data).every((x) => !Number.isNaN(x))).toBe(true);
      expect([...m.grad!.data.slice(3)]).toEqual([0, 0, 0]);
    }
  });
});

describe("mask helpers", () => {
  it("causalMask is tril(ones(L, S)) aligned top-left", () => {
    expect(causalMask(2, 3).toArray()).toEqual([[true, false, false], [true, true, false]]);
    expect(causalMask(3, 2).toArray()).toEqual([[true, false], [true, true], [true, true]]);
  });
  it("deadRows finds rows with no visible key", () => {
    expect(deadRows(tensor([[true, false], [false, false]]))!.toArray()).toEqual([[false], [true]]);
    expect(deadRows(tensor([[0, -Infinity]]))).toBeNull();
  });
});

describe("dropout on the attention weights", () => {
  const q = rnd([2, 5, 3], 1);
  const k = rnd([2, 6, 3], 2);
  const v = rnd([2, 6, 4], 3);
  it("same seed, same result, in both implementations", () => {
    const a = scaledDotProductAttention(q, k, v, { dropoutP: 0.4, rng: new Generator(7), implementation: "composed" });
    const b = scaledDotProductAttention(q, k, v, { dropoutP: 0.4, rng: new Generator(7), implementation: "memoryEfficient" });
    const plain = scaledDotProductAttention(q, k, v);
    expect(a.data).toBeAllclose(b.data, { rtol: 1e-10, atol: 1e-12 });
    expect(a.data).not.toEqual(plain.data);
  });
  it("float32 on every backend: the fused kernel regenerates the composed path's dropout mask", () => {
    const [q32, k32, v32] = [cast(q, "float32"), cast(k, "float32"), cast(v, "float32")];
    const previous = getBackend();
    try {
      for (const backend of listBackends()) {
        if (!setBackend(backend)) continue;
        const a = scaledDotProductAttention(q32, k32, v32, { dropoutP: 0.4, rng: new Generator(7), implementation: "composed" });
        const b = scaledDotProductAttention(q32, k32, v32, { dropoutP: 0.4, rng: new Generator(7), implementation: "memoryEfficient" });
        expect(b.data).toBeAllclose(a.data, { rtol: 1e-5, atol: 1e-5 });
      }
    } finally {
      setBackend(previous);
    }
  });
  it("zeroes about p of the weights and scales the rest by 1/(1-p)", () => {
    const { weights } = scaledDotProductAttention(q, k, v, { dropoutP: 0.5, rng: new Generator(3), returnWeights: true });
    const { weights: clean } = scaledDotProductAttention(q, k, v, { returnWeights: true });
    let zeros = 0;
    weights.data.forEach((w, i) => {
      if (w === 0) zeros++;
      else expect(w).toBeCloseTo(clean.data[i]! * 2, 12);
    });
    expect(zeros).toBeGreaterThan(15);
    expect(zeros).toBeLessThan(45);
  });
  it("gradCheck with dropout (fixed seed)", () => {
    for (const implementation of IMPLS) {
      const f = (q: Tensor, k: Tensor, v: Tensor): Tensor => scaledDotProductAttention(q, k, v, { dropoutP: 0.3, rng: new Generator(9), implementation });
      expect(gradCheck(f, [q, k, v]).ok).toBe(true);
    }
  });
  it("dropoutP = 1 gives zeros", () => {
    const out = scaledDotProductAttention(q, k, v, { dropoutP: 1, rng: new Generator(1) });
    expect(Array.from(out.data).every((x) => x === 0)).toBe(true);
  });
});
