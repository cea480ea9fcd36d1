import { mul, sum, tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { zeroGrad } from "./index.js";

describe("zeroGrad", () => {
  it("sets .grad to null so the next backward starts from scratch", () => {
    const a = tensor([1, 2]).requiresGrad_();
    const b = tensor([3]).requiresGrad_();
    sum(mul(a, b)).backward();
    expect(a.grad?.toArray()).toEqual([3, 3]);
    zeroGrad([a, b]);
    expect([a.grad, b.grad]).toEqual([null, null]);
    sum(mul(a, b)).backward();
    expect(a.grad?.toArray()).toEqual([3, 3]);
    expect(b.grad?.toArray()).toEqual([3]);
  });
});
