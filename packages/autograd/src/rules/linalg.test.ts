import { matmul, sum, tensor, type Tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { expectGradOk, normal } from "../../test/helpers.js";
import { grad } from "../index.js";

const mm = (a: Tensor, b: Tensor): Tensor => matmul(a, b);
const t = (s: number[]): number[] => [...s.slice(0, -2), s[s.length - 1]!, s[s.length - 2]!];

describe("matmul gradient rule", () => {
  const cases: [string, number[], number[]][] = [
    ["2-d", [3, 4], [4, 2]],
    ["batched", [2, 3, 4], [2, 4, 5]],
    ["broadcast batch", [2, 1, 3, 4], [5, 4, 2]],
    ["matrix × batch", [3, 4], [2, 4, 2]],
    ["size-1 dims", [1, 1, 4], [4, 1]],
  ];
  for (const [name, sa, sb] of cases) {
    it(`${name}: passes gradCheck for every transA/transB combination`, () => {
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          const a = normal(transA ? t(sa) : sa, 1);
          const b = normal(transB ? t(sb) : sb, 2);
          expectGradOk((x, y) => matmul(x, y, { transA, transB }), [a, b]);
        }
      }
    });
  }

  it("1-d operands (vector·matrix, matrix·vector, dot, batched vector) pass gradCheck", () => {
    expectGradOk(mm, [normal([4], 3), normal([4, 2], 4)]);
    expectGradOk(mm, [normal([3, 4], 5), normal([4], 6)]);
    expectGradOk(mm, [normal([4], 7), normal([4], 8)]);
    expectGradOk(mm, [normal([2, 3, 4], 9), normal([4], 10)]);
    expectGradOk(mm, [normal([4], 11), normal([2, 4, 3], 12)]);
  });

  it("computes only the requested gradient", () => {
    const a = tensor([[1, 2]]);
    const b = tensor([[3], [4]]).requiresGrad_();
    sum(matmul(a, b)).backward();
    expect(b.grad?.toArray()).toEqual([[1], [2]]);
    expect(a.grad).toBeNull();
    expect(grad((x: Tensor) => sum(matmul(x, b)), 0)(a).toArray()).toEqual([[3, 4]]);
  });
});
