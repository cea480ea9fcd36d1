import { describe, expect, it } from "vitest";
import { randn } from "../create.js";
import { logSoftmax, softmax } from "../ops/reduce/index.js";
import { generator } from "../random.js";
import { Tensor } from "../tensor.js";
import { softmaxCrossEntropyReference } from "./cross-entropy.js";

/** The composition the kernel replaces, from public ops and plain float64 loops: ℓ and p − q per row. */
function composed(z: Float64Array, C: number, target: Int32Array, ignoreIndex: number, eps: number): { loss: number[]; grad: number[] } {
  const R = target.length;
  const logp = logSoftmax(new Tensor(z, [R, C], "float64"), 1).data as Float64Array;
  const p = softmax(new Tensor(z, [R, C], "float64"), 1).data as Float64Array;
  const loss: number[] = [];
  const grad: number[] = [];
  for (let r = 0; r < R; r++) {
    const y = target[r]!;
    let l = 0;
    for (let c = 0; c < C; c++) {
      const q = y === ignoreIndex ? 0 : (c === y ? 1 - eps : 0) + eps / C;
      l -= q * logp[r * C + c]!;
      grad.push(y === ignoreIndex ? 0 : p[r * C + c]! - q);
    }
    loss.push(l);
  }
  return { loss, grad };
}

describe("softmaxCrossEntropy kernel (reference)", () => {
  const [R, C] = [7, 5];
  const z = randn([R * C], generator(3), "float64").data as Float64Array;
  const target = Int32Array.from([4, 0, -100, 2, 2, -100, 1]);

  it("gives −Σ q·log p and p − q per row, zero for ignored rows, and counts the kept rows", () => {
    for (const eps of [0, 0.1, 1]) {
      const got = softmaxCrossEntropyReference({ logits: z, C, target, ignoreIndex: -100, labelSmoothing: eps });
      const want = composed(z, C, target, -100, eps);
      expect(got.kept).toBe(5);
      expect(got.grad).toBeInstanceOf(Float64Array);
      expect(got.loss).toBeAllclose(want.loss, { rtol: 1e-12, atol: 1e-14 });
      expect(got.grad).toBeAllclose(want.grad, { rtol: 1e-12, atol: 1e-14 });
    }
  });

  it("keeps float32 gradients in float32 and stays finite for logits of ±1e4", () => {
    const big = Float32Array.from({ length: R * C }, (_, i) => (i % 3 === 0 ? 1e4 : -1e4));
    const got = softmaxCrossEntropyReference({ logits: big, C, target, ignoreIndex: -100, labelSmoothing: 0.1 });
    expect(got.grad).toBeInstanceOf(Float32Array);
    expect([...got.loss].every(Number.isFinite)).toBe(true);
    expect([...got.grad].every(Number.isFinite)).toBe(true);
    expect(got.loss).toBeAllclose(composed(Float64Array.from(big), C, target, -100, 0.1).loss, { rtol: 1e-12, atol: 1e-9 });
  });

  it("a −∞ logit off the target gives a finite loss without smoothing and +∞ with it (as PyTorch)", () => {
    const row = Float64Array.from([0, -Infinity, 1]);
    const t = Int32Array.from([2]);
    expect(softmaxCrossEntropyReference({ logits: row, C: 3, target: t, ignoreIndex: -100, labelSmoothing: 0 }).loss[0]).toBeCloseTo(Math.log(1 + Math.exp(-1)), 14);
    expect(softmaxCrossEntropyReference({ logits: row, C: 3, target: t, ignoreIndex: -100, labelSmoothing: 0.1 }).loss[0]).toBe(Infinity);
  });

  it("handles zero rows, and every row ignored", () => {
    expect(softmaxCrossEntropyReference({ logits: new Float32Array(0), C: 4, target: new Int32Array(0), ignoreIndex: -100, labelSmoothing: 0.1 }).kept).toBe(0);
    const all = softmaxCrossEntropyReference({ logits: z, C, target: new Int32Array(R).fill(3), ignoreIndex: 3, labelSmoothing: 0.1 });
    expect(all.kept).toBe(0);
    expect([...all.loss, ...all.grad].every((v) => v === 0)).toBe(true);
  });
});
