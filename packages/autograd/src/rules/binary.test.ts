import {
  add, bernoulli, div, equal, Generator, greater, logicalAnd, maskedFill, maximum, minimum, mul, pow, relu, reluGrad, softmax, sub, sum,
  tensor, where, type Tensor,
} from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { expectGradOk, normal, positive } from "../../test/helpers.js";
import { grad } from "../index.js";

/** Shape pairs covering equal shapes, broadcasting, size-1 dims and rank 0. */
const PAIRS: [number[], number[]][] = [[[2, 3], [2, 3]], [[2, 3], [3]], [[2, 1, 3], [4, 1]], [[], [2, 2]], [[1], [3, 1]]];
type Binary = (a: Tensor, b: Tensor) => Tensor;

describe("binary gradient rules", () => {
  const ops: [string, Binary, (s: number[], seed: number) => Tensor][] = [
    ["add", add, normal], ["sub", sub, normal], ["mul", mul, normal], ["div", div, positive],
    ["pow", pow, normal], ["maximum", maximum, normal], ["minimum", minimum, normal],
  ];
  for (const [name, f, makeB] of ops) {
    it(`${name} passes gradCheck with broadcasting`, () => {
      PAIRS.forEach(([sa, sb], i) => {
        const a = name === "pow" ? positive(sa, i) : normal(sa, i);
        expectGradOk(f, [a, makeB(sb, 100 + i)]);
        expectGradOk(f, [name === "pow" ? positive(sb, 200 + i) : normal(sb, 200 + i), makeB(sa, 300 + i)]); // and with the shapes swapped
      });
    });
  }

  it("mul of a tensor with itself (square) gives one gradient 2·(g·x): the bits of g·x + x·g", () => {
    for (const dtype of ["float32", "float64"] as const) {
      const x = tensor([0.1, -3, 7e-39, 1.5e38, 0.3333], undefined, dtype);
      const g = tensor([0.7, 0.2, 3, 5, -1.1], undefined, dtype);
      const [dx] = grad((t: Tensor) => sum(mul(mul(t, t), g)))(x);
      const round = dtype === "float32" ? Math.fround : (v: number) => v;
      // by hand: each product rounded, then the two equal contributions added
      const want = Array.from(x.data, (v, i) => round(round(g.data[i]! * v) + round(g.data[i]! * v)));
      expect(Array.from(dx!.data), dtype).toEqual(want);
    }
    expectGradOk((t) => mul(t, t), [normal([2, 3], 7)]);
  });

  it("pow: negative bases with integer exponents differentiate in the base; the exponent gets 0 where base ≤ 0", () => {
    const e = tensor([2, 3, 3], undefined, "float64");
    expectGradOk((a) => pow(a, e), [tensor([-1.5, -0.7, 2.1], undefined, "float64")]);
    const [da, de] = grad((a: Tensor, b: Tensor) => sum(pow(a, b)))(tensor([-2, 0, 2]), tensor([3, 2, 2]));
    expect(da!.toArray()).toEqual([12, 0, 4]);
    expect(de!.data[0]).toBe(0);
    expect(de!.data[1]).toBe(0);
    expect(de!.data[2]).toBeCloseTo(4 * Math.log(2), 5);
  });

  it("pow: x^0 has gradient 0 in x, also at x = 0 (no NaN)", () => {
    expect(grad((a: Tensor) => sum(pow(a, 0)), 0)(tensor([0, 2])).toArray()).toEqual([0, 0]);
  });

  it("maximum and minimum split the gradient evenly on ties", () => {
    const [da, db] = grad((a: Tensor, b: Tensor) => sum(maximum(a, b)))(tensor([1, 2, 3]), tensor([3, 2, 1]));
    expect(da!.toArray()).toEqual([0, 0.5, 1]);
    expect(db!.toArray()).toEqual([1, 0.5, 0]);
    const [ma, mb] = grad((a: Tensor, b: Tensor) => sum(minimum(a, b)))(tensor([1, 2, 3]), tensor([3, 2, 1]));
    expect(ma!.toArray()).toEqual([1, 0.5, 0]);
    expect(mb!.toArray()).toEqual([0, 0.5, 1]);
  });

  it("reluGrad passes gradCheck in g (x gets no gradient) and gives relu's second derivative 0", () => {
    const x = normal([3, 4], 7);
    expectGradOk((g) => reluGrad(g, x), [normal([3, 4], 8)]);
    const [dg, dx] = grad((g: Tensor, t: Tensor) => sum(mul(reluGrad(g, t), 2)))(normal([2, 3], 9), normal([2, 3], 10));
    expect(dx!.toArray()).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(dg!.shape).toEqual([2, 3]);
    // relu's rule goes through reluGrad: d/dx Σ relu(x)·w = [x > 0]·w
    const w = tensor([1, 2, 3], [3], "float64");
    expect(grad((t: Tensor) => sum(mul(relu(t), w)), 0)(tensor([-1, 0.5, 2], [3], "float64")).toArray()).toEqual([0, 2, 3]);
  });

  it("where passes gradCheck with all three operands broadcast", () => {
    const c = bernoulli([2, 1, 3], 0.5, new Generator(3));
    expectGradOk((a, b) => where(c, a, b), [normal([4, 3], 1), normal([2, 4, 1], 2)]);
    expectGradOk((a) => where(c, a, 0), [normal([3], 1)]);
  });

  it("where/maskedFill with -Infinity give 0 (never NaN) to masked entries, through softmax", () => {
    const mask = tensor([[false, true, true], [false, false, true]]);
    const g = grad((x: Tensor) => sum(mul(softmax(maskedFill(x, mask, -Infinity)), tensor([1, 2, 3]))), 0)(tensor([[1, 2, 3], [4, 5, 6]]));
    expect(Array.from(g.data).every(Number.isFinite)).toBe(true);
    expect([g.data[1], g.data[2], g.data[5]]).toEqual([0, 0, 0]);
    expect(g.data[0]).toBe(0); // a single unmasked entry: softmax is constant 1
    expect(g.data[3]).toBeCloseTo(-0.19661, 4);
  });

  it("comparisons and logical ops are not differentiable: their outputs are not recorded", () => {
    const x = tensor([1, 2]).requiresGrad_();
    for (const y of [greater(x, 1), equal(x, 2), logicalAnd(greater(x, 0), greater(x, 1))]) {
      expect(y.requiresGrad).toBe(false);
      expect(y.gradFn).toBeNull();
    }
  });
});
