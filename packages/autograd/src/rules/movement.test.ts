import {
  chunk, concat, expand, flatten, gather, indexSelect, mul, narrow, oneHot, pad, permute, reshape, scatterAdd, slice, split, squeeze,
  stack, sum, tensor, transpose, tril, unsqueeze, type Tensor,
} from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { expectGradOk, normal } from "../../test/helpers.js";
import { grad } from "../index.js";

const idx = (values: number[], shape?: number[]): Tensor => tensor(values, shape, "int32");

describe("movement gradient rules", () => {
  it("reshape, flatten, squeeze, unsqueeze pass gradCheck", () => {
    expectGradOk((x) => reshape(x, [3, -1]), [normal([2, 3, 2], 1)]);
    expectGradOk((x) => flatten(x, 1), [normal([2, 3, 2], 2)]);
    expectGradOk((x) => squeeze(x), [normal([2, 1, 3, 1], 3)]);
    expectGradOk((x) => unsqueeze(x, 0), [normal([], 4)]);
  });

  it("permute and transpose pass gradCheck (inverse permutation)", () => {
    expectGradOk((x) => permute(x, [2, 0, 3, 1]), [normal([2, 3, 4, 1], 5)]);
    expectGradOk((x) => transpose(x), [normal([2, 3, 4], 6)]);
  });

  it("expand passes gradCheck (the engine sums over the expanded dims)", () => {
    expectGradOk((x) => expand(x, [2, 4, 3]), [normal([4, 1], 7)]);
    expectGradOk((x) => expand(x, [3, 2]), [normal([], 8)]);
  });

  it("slice (with steps and negative bounds), narrow, split, chunk pass gradCheck", () => {
    expectGradOk((x) => slice(x, [1, null], [null, -1]), [normal([3, 4], 9)]);
    expectGradOk((x) => slice(x, [0, 1], [3, 4], [2, 2]), [normal([3, 4], 10)]);
    expectGradOk((x) => narrow(x, -1, 1, 2), [normal([2, 4], 11)]);
    expectGradOk((x) => { const [a, b] = split(x, [1, 2], 1); return sum(mul(a!, b!)); }, [normal([2, 3], 12)]);
    expectGradOk((x) => concat(chunk(x, 2, 0).reverse(), 0), [normal([4, 2], 13)]);
  });

  it("pad passes gradCheck (the gradient drops the padding) and fills no gradient into it", () => {
    expectGradOk((x) => pad(x, [[1, 2], [0, 1]], 5), [normal([2, 3], 14)]);
    expectGradOk((x) => pad(x, [[2, 0]]), [normal([2, 3], 15)]);
  });

  it("concat and stack pass gradCheck for every input, including size-0 parts", () => {
    expectGradOk((a, b, c) => concat([a, b, c], 1), [normal([2, 1], 16), normal([2, 3], 17), normal([2, 0], 18)]);
    expectGradOk((a, b) => stack([a, b], -1), [normal([2, 3], 19), normal([2, 3], 20)]);
  });

  it("gather and indexSelect scatter-add their gradient (repeated indices accumulate)", () => {
    expectGradOk((x) => gather(x, idx([2, 0, 2, 2]), 0), [normal([3, 2], 21)]);
    expectGradOk((x) => gather(x, idx([1, 0, 1, 1, 0, 0], [2, 3]), 1), [normal([2, 2, 3], 22)]);
    expectGradOk((x) => indexSelect(x, -1, idx([0, 0, 3])), [normal([2, 4], 23)]);
    const g = grad((x: Tensor) => sum(gather(x, idx([1, 1, 1, 0]))), 0)(tensor([5, 6, 7]));
    expect(g.toArray()).toEqual([1, 3, 0]);
  });

  it("scatterAdd passes gradCheck (its gradient is a gather)", () => {
    expectGradOk((s) => scatterAdd(s, idx([0, 2, 0]), 0, 4), [normal([3, 2], 24)]);
    expectGradOk((s) => scatterAdd(s, idx([1, 1], [2, 1]), 1, 3), [normal([2, 2, 1, 3], 25)]);
  });

  it("composites built on movement ops (tril, oneHot products) pass gradCheck", () => {
    expectGradOk((x) => tril(x), [normal([2, 3, 3], 26)]);
    const h = oneHot(idx([2, 0]), 3, "float64");
    expectGradOk((x) => sum(mul(x, h), 1), [normal([2, 3], 27)]);
  });
});
