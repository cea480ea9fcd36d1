import { ones, type Tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { enableGrad, grad, noGrad, valueAndGrad, vjp } from "./index.js";

describe("functional transforms check that they were given functions", () => {
  it("grad / valueAndGrad / vjp name themselves at once (grad(3) returned a function that failed later)", () => {
    expect(() => grad(3 as unknown as (x: Tensor) => Tensor)).toThrow("grad: expected 'f' to be a function, got number 3");
    expect(() => valueAndGrad(null as unknown as (x: Tensor) => Tensor)).toThrow("valueAndGrad: expected 'f' to be a function, got null");
    expect(() => vjp((x) => x.mul(2), ones([2]) as unknown as Tensor[])).toThrow("vjp: expected 'inputs' as an array of tensors, got a Tensor");
  });

  it("noGrad / enableGrad with a non-function say so (was 'fn is not a function')", () => {
    expect(() => noGrad(3 as unknown as () => number)).toThrow("noGrad: expected a function to run, got number 3");
    expect(() => enableGrad({} as unknown as () => number)).toThrow("enableGrad: expected a function to run, got an empty object {}");
    expect(noGrad(() => 5)).toBe(5);
  });
});
