import "@heed/autograd";
import { gradCheck } from "@heed/autograd";
import { permute, tensor, zeros, type Tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { randn64 } from "../../test/utils.js";
import { crossEntropy, nllLoss } from "./cross-entropy.js";
import type { Reduction } from "./reduction.js";

const int = (v: number[]) => tensor(v, undefined, "int32");

interface RefOptions {
  weight?: number[];
  ignoreIndex?: number;
  reduction?: Reduction;
  labelSmoothing?: number;
}

/** PyTorch's cross_entropy formula in float64 on rows [M][C] (cross_entropy_loss_label_smoothing). */
function reference(rows: number[][], t: number[], { weight, ignoreIndex = -100, reduction = "mean", labelSmoothing: eps = 0 }: RefOptions): number[] {
  const C = rows[0]!.length;
  const w = weight ?? new Array<number>(C).fill(1);
  let nllSum = 0;
  let smoothSum = 0;
  let denom = 0;
  const each: number[] = [];
  rows.forEach((x, i) => {
    const m = Math.max(...x);
    const lse = m + Math.log(x.reduce((s, v) => s + Math.exp(v - m), 0));
    const y = t[i]!;
    if (y === ignoreIndex) {
      each.push(0);
      return;
    }
    const nll = -w[y]! * (x[y]! - lse);
    const smooth = -x.reduce((s, v, c) => s + w[c]! * (v - lse), 0);
    nllSum += nll;
    smoothSum += smooth;
    denom += w[y]!;
    each.push((1 - eps) * nll + (eps / C) * smooth);
  });
  if (reduction === "none") return each;
  if (reduction === "sum") return [(1 - eps) * nllSum + (eps / C) * smoothSum];
  return [(1 - eps) * (nllSum / denom) + (eps / C) * (smoothSum / denom)];
}

const rowsOf = (t: Tensor): number[][] => t.toArray() as number[][];

describe("crossEntropy: values against PyTorch's formula in float64", () => {
  it("matches literal values (computed independently with numpy)", () => {
    const X = tensor([[1, 2, 3], [0.5, -1, 2], [3, 0, -2], [0, 0, 0]], undefined, "float64");
    const T = int([2, 0, -1, 1]);
    const W = tensor([0.2, 1, 3], undefined, "float64");
    expect(crossEntropy(X, T, { weight: W, ignoreIndex: -1, labelSmoothing: 0.25 }).item()).toBeCloseTo(0.7156122238298941, 14);
    expect(crossEntropy(X, T, { weight: W, ignoreIndex: -1, labelSmoothing: 0.25, reduction: "none" })).toBeAllclose([1.1764421742220557, 0.6206556483285786, 0, 1.2084735175349206], { rtol: 1e-13, atol: 0 });
    expect(crossEntropy(X, T, { ignoreIndex: -1, labelSmoothing: 0.1, reduction: "sum" }).item()).toBeCloseTo(3.347529549769648, 13);
    expect(crossEntropy(tensor([[1, 2, 3]]), int([2])).item()).toBeCloseTo(0.4076059644443804, 6);
  });

  const X = randn64([6, 4], 11, 2);
  const T = int([3, 0, 2, 2, 1, 0]);
  const W = [0.5, 2, 1, 0.25];
  const combos: [string, RefOptions][] = [];
  for (const weight of [undefined, W]) {
    for (const ignoreIndex of [-100, 2]) {
      for (const labelSmoothing of [0, 0.15]) {
        for (const reduction of ["mean", "sum", "none"] as const) {
          combos.push([`weight=${weight ? "yes" : "no"} ignoreIndex=${ignoreIndex} labelSmoothing=${labelSmoothing} reduction=${reduction}`, { weight, ignoreIndex, labelSmoothing, reduction }]);
        }
      }
    }
  }
  it.each(combos)("%s", (_name, o) => {
    const got = crossEntropy(X, T, { ...o, weight: o.weight ? tensor(o.weight, undefined, "float64") : null });
    expect(got.shape).toEqual(o.reduction === "none" ? [6] : []);
    expect(got).toBeAllclose(reference(rowsOf(X), [...T.data], o), { rtol: 1e-12, atol: 1e-14 });
  });

  it("handles [N, C, d1, d2] logits with [N, d1, d2] targets", () => {
    const x = randn64([2, 3, 2, 2], 5);
    const t = tensor([[[0, 2], [1, -100]], [[2, 2], [0, 1]]], undefined, "int32");
    const rows = (permute(x, [0, 2, 3, 1]).toArray() as number[][][][]).flat(2);
    const o: RefOptions = { weight: [1, 2, 3], labelSmoothing: 0.2 };
    for (const reduction of ["mean", "sum", "none"] as const) {
      const got = crossEntropy(x, t, { weight: tensor(o.weight!, undefined, "float64"), labelSmoothing: 0.2, reduction });
      expect(got.shape).toEqual(reduction === "none" ? [2, 2, 2] : []);
      expect(got).toBeAllclose(reference(rows, [...t.data], { ...o, reduction }), { rtol: 1e-12, atol: 1e-14 });
    }
  });

  it("handles unbatched [C] logits with a scalar target", () => {
    const got = crossEntropy(tensor([1, 2, 3], undefined, "float64"), tensor(2, [], "int32"), { reduction: "none" });
    expect(got.shape).toEqual([]);
    expect(got.item()).toBeCloseTo(0.4076059644443804, 14);
  });

  it("is stable for logits of ±300 (float32)", () => {
    expect(crossEntropy(tensor([[300, -300]]), int([1])).item()).toBe(600);
    expect(crossEntropy(tensor([[300, -300]]), int([0])).item()).toBe(0);
    expect(crossEntropy(tensor([[300, -300, 0]]), int([1]), { labelSmoothing: 0.3 }).item()).toBeCloseTo(510, 3);
    expect(crossEntropy(tensor([[-Infinity, 0, 1]]), int([1])).item()).toBeCloseTo(1.3132616875182228, 6);
    expect(crossEntropy(tensor([[-Infinity, 0], [1, 2]]), int([-100, 1])).item()).toBeCloseTo(0.31326168751822286, 6);
  });

  it("propagates NaN logits", () => {
    expect(crossEntropy(tensor([[NaN, 1], [0, 1]]), int([0, 1])).item()).toBeNaN();
    expect(crossEntropy(tensor([[NaN, 1], [0, 1]]), int([0, 1]), { reduction: "none" }).data[1]).toBeCloseTo(0.31326168751822286, 6);
  });

  it("gives NaN for 'mean' when every target is ignored (0/0, as PyTorch), 0 for 'sum'", () => {
    expect(crossEntropy(tensor([[1, 2]]), int([-100])).item()).toBeNaN();
    expect(crossEntropy(tensor([[1, 2]]), int([-100]), { reduction: "sum" }).item()).toBe(0);
    expect(crossEntropy(zeros([0, 3]), int([])).item()).toBeNaN();
  });

  it("gives a ZERO gradient (not NaN) when every target is ignored, as PyTorch, also with weights and smoothing", () => {
    for (const options of [{}, { labelSmoothing: 0.1 }, { weight: tensor([1, 2, 3]) }, { reduction: "sum" as const }]) {
      const logits = tensor([[1, 2, 3], [0, -1, 4]]).requiresGrad_();
      const loss = crossEntropy(logits, int([-100, -100]), options);
      expect(Number.isNaN(loss.item())).toBe(options.reduction !== "sum");
      loss.backward();
      expect(Array.from(logits.grad!.data)).toEqual([0, 0, 0, 0, 0, 0]);
    }
    const logp = tensor([[-1, -2], [-0.5, -3]]).requiresGrad_();
    const loss = nllLoss(logp, int([7, 7]), { ignoreIndex: 7 });
    expect(loss.item()).toBeNaN();
    loss.backward();
    expect(Array.from(logp.grad!.data)).toEqual([0, 0, 0, 0]);
    // A kept target of weight 0 is 0/0 in PyTorch's gradient too (NaN), unlike an ignored one.
    const z = tensor([[1, 2]]).requiresGrad_();
    crossEntropy(z, int([0]), { weight: tensor([0, 1]) }).backward();
    expect(Number.isNaN(z.grad!.data[0])).toBe(true);
  });
});

describe("crossEntropy: gradients", () => {
  const T = int([3, 0, 2, 2, 1]);
  it.each([
    ["plain mean", {}],
    ["weights + ignore + smoothing, mean", { weight: tensor([0.5, 2, 1, 0.25], undefined, "float64"), ignoreIndex: 2, labelSmoothing: 0.2 }],
    ["smoothing, sum", { labelSmoothing: 0.4, reduction: "sum" as const }],
    ["weights, none", { weight: tensor([0.5, 2, 1, 0.25], undefined, "float64"), reduction: "none" as const }],
  ])("%s", (_name, o) => {
    const r = gradCheck((x) => crossEntropy(x, T, o), [randn64([5, 4], 3, 3)]);
    expect(r.ok, JSON.stringify(r)).toBe(true);
  });

  it("for [N, C, d] logits", () => {
    const r = gradCheck((x) => crossEntropy(x, tensor([[0, 1, 2], [2, 2, -100]], undefined, "int32"), { labelSmoothing: 0.1 }), [randn64([2, 3, 3], 9)]);
    expect(r.ok, JSON.stringify(r)).toBe(true);
  });
});

describe("crossEntropy with class-probability targets", () => {
  const x = tensor([[[1, -1], [0.5, 2]], [[0, 3], [-2, 0.25]]], undefined, "float64"); // [N, C, d]
  const t = tensor([[[0.7, 0.1], [0.3, 0.9]], [[0.5, 0.5], [0.5, 0.5]]], undefined, "float64");
  const w = tensor([2, 0.5], undefined, "float64");

  it("matches literal values (numpy), weights and smoothing included", () => {
    const none = crossEntropy(x, t, { weight: w, labelSmoothing: 0.2, reduction: "none" });
    expect(none.shape).toEqual([2, 2]);
    expect(none).toBeAllclose([0.7913747064283589, 1.1174122607117816, 0.6586600138037157, 0.7649594862539983], { rtol: 1e-13, atol: 0 });
    expect(crossEntropy(x, t, { weight: w, labelSmoothing: 0.2 }).item()).toBeCloseTo(0.8331016167994636, 14);
  });

  it("equals the class-index form for one-hot targets (no weights)", () => {
    const logits = randn64([5, 4], 31);
    const idx = [3, 0, 1, 1, 2];
    const oneHot = tensor(idx.map((k) => [0, 1, 2, 3].map((c) => (c === k ? 1 : 0))), undefined, "float64");
    for (const labelSmoothing of [0, 0.3]) {
      expect(crossEntropy(logits, oneHot, { labelSmoothing }).item()).toBeCloseTo(crossEntropy(logits, int(idx), { labelSmoothing }).item(), 13);
    }
  });

  it("has correct gradients for logits and targets", () => {
    const r = gradCheck((a, b) => crossEntropy(a, b, { weight: w, labelSmoothing: 0.1 }), [randn64([2, 2, 2], 32), randn64([2, 2, 2], 33)]);
    expect(r.ok, JSON.stringify(r)).toBe(true);
  });
});

describe("crossEntropy / nllLoss: errors and nllLoss", () => {
  it("nllLoss equals crossEntropy on log-probabilities", () => {
    const x = randn64([4, 3], 2);
    const t = int([0, 2, -100, 1]);
    const lp = tensor(rowsOf(x).map((r) => { const m = Math.max(...r); const l = m + Math.log(r.reduce((s, v) => s + Math.exp(v - m), 0)); return r.map((v) => v - l); }), undefined, "float64");
    const w = tensor([1, 2, 3], undefined, "float64");
    expect(nllLoss(lp, t, { weight: w }).item()).toBeCloseTo(crossEntropy(x, t, { weight: w }).item(), 12);
  });

  it("names targets, classes and shapes", () => {
    expect(() => crossEntropy(zeros([2, 3]), int([0, 3]))).toThrow(/crossEntropy: target 3 at flat position 1 is out of range for 3 classes \(ignoreIndex -100\)/);
    expect(() => crossEntropy(zeros([2, 3]), tensor([0, 1]))).toThrow(/crossEntropy: target must hold int32 class indices, got dtype 'float32'/);
    expect(() => crossEntropy(zeros([2, 3]), int([0, 1, 2]))).toThrow(/crossEntropy: target shape \[3\] does not match input \[2,3\]/);
    expect(() => crossEntropy(zeros([2, 3]), int([0, 1]), { weight: zeros([2]) })).toThrow(/crossEntropy: weight must have shape \[3\]/);
    expect(() => crossEntropy(zeros([2, 3]), int([0, 1]), { labelSmoothing: 1.5 })).toThrow(/labelSmoothing must be in \[0, 1\], got 1.5/);
    expect(() => crossEntropy(zeros([2, 3]), int([0, 1]), { reduction: "avg" as Reduction })).toThrow(/crossEntropy: reduction must be 'mean', 'sum' or 'none', got "avg"/);
  });
});
