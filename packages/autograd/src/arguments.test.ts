import { ones, sum, type Tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { customVjp, enableGrad, grad, gradCheck, noGrad, releaseActivations, valueAndGrad, vjp } from "./index.js";

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

describe("gradCheck, customVjp and releaseActivations check their arguments", () => {
  it("name themselves instead of 'f is not a function' / 'fn is not a function', and gradCheck's eps must be > 0", () => {
    const sumOf = (x: Tensor) => sum(x);
    expect(() => gradCheck(5 as unknown as (x: Tensor) => Tensor, [ones([2])])).toThrow("gradCheck: expected 'f' to be a function, got number 5");
    expect(() => gradCheck(sumOf, ones([2]) as unknown as Tensor[])).toThrow("gradCheck: expected 'inputs' as an array of tensors, got a Tensor");
    expect(() => gradCheck(sumOf, [ones([2])], { eps: -1 })).toThrow("gradCheck: expected 'eps' to be a finite number > 0 (the finite-difference step), got number -1");
    expect(() => gradCheck(sumOf, [ones([2])], { atol: NaN })).toThrow("gradCheck: expected 'atol' to be a number >= 0, got number NaN");
    expect(() => customVjp(5 as never, () => [])).toThrow("customVjp: expected 'forward' to be a function returning { output, saved }, got number 5");
    expect(() => customVjp(() => ({ output: ones([1]), saved: null }), undefined as never)).toThrow(/^customVjp: expected 'backward' to be a function .*, got undefined$/);
    expect(() => releaseActivations(5 as unknown as () => void)).toThrow("releaseActivations: expected a function to run, got number 5");
  });
});
