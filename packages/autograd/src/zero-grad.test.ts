import { mul, sum, tensor, type Tensor } from "@heed/tensor-core";
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

  it("a non-list or a list with a non-tensor names zeroGrad (was 'tensors is not iterable' or a silent property write)", () => {
    expect(() => zeroGrad(5 as unknown as Tensor[])).toThrow("zeroGrad: expected a list of tensors, got number 5");
    expect(() => zeroGrad([tensor([1]), [2]] as unknown as Tensor[])).toThrow("zeroGrad: expected a list of tensors, got an array [2] at entry 1");
    expect(() => zeroGrad({ parameters: () => [] } as unknown as Tensor[])).toThrow("zeroGrad: expected a list of tensors, got an object {parameters} — did you mean model.parameters()?");
    const a = tensor([1]).requiresGrad_();
    a.grad = tensor([2]);
    zeroGrad((function* () { yield a; })());
    expect(a.grad).toBeNull();
  });
});
