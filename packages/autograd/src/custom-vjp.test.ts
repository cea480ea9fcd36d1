import { exp, mul, sub, sum, tensor, type Tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { expectGradOk, normal } from "../test/helpers.js";
import { customVjp, grad, noGrad } from "./index.js";

describe("customVjp", () => {
  // x·exp(y) with a hand-written gradient that saves only exp(y)
  const scaledExp = customVjp(
    (x: Tensor, y: Tensor) => {
      const e = exp(y);
      return { output: mul(x, e), saved: e };
    },
    (e, g, [x], needs) => [needs[0] ? mul(g, e) : null, needs[1] ? mul(mul(g, x!), e) : null],
  );

  it("records one node with the hand-written backward and passes gradCheck", () => {
    const x = tensor([1, 2]).requiresGrad_();
    const y = tensor([0, 1]).requiresGrad_();
    const out = scaledExp(x, y);
    expect(out.gradFn).not.toBeNull();
    expect((out.gradFn as { name: string }).name).toMatch(/^customVjp\(/);
    sum(out).backward();
    expect(x.grad!.data[1]).toBeCloseTo(Math.E, 5);
    expect(y.grad!.data[1]).toBeCloseTo(2 * Math.E, 5);
    expectGradOk(scaledExp, [normal([2, 3], 1), normal([3], 2)]); // broadcast gradients are reduced by the engine
  });

  it("the forward is not recorded: its inputs are only reachable through the custom node", () => {
    let recordedInside = true;
    const f = customVjp((x: Tensor) => {
      const y = mul(x, 2);
      recordedInside = y.requiresGrad;
      return { output: y, saved: null };
    }, (_s, g) => [mul(g, 2)]);
    f(tensor([1]).requiresGrad_());
    expect(recordedInside).toBe(false);
  });

  it("records nothing in noGrad or when no input requires gradients", () => {
    expect(noGrad(() => scaledExp(tensor([1]).requiresGrad_(), tensor([1]))).requiresGrad).toBe(false);
    expect(scaledExp(tensor([1]), tensor([1])).gradFn).toBeNull();
  });

  it("works inside grad() and composes with other ops", () => {
    const g = grad((x: Tensor) => sum(sub(scaledExp(x, tensor([0, 0])), x)), 0)(tensor([3, 4]));
    expect(g.toArray()).toEqual([0, 0]);
  });

  it("never turns an input returned by forward into a non-leaf", () => {
    const identity = customVjp((x: Tensor) => ({ output: x, saved: null }), (_s, g) => [mul(g, 3)]);
    const x = tensor([1, 2]).requiresGrad_();
    const y = identity(x);
    expect(x.isLeaf).toBe(true);
    expect(y).not.toBe(x);
    sum(y).backward();
    expect(x.grad?.toArray()).toEqual([3, 3]);
  });

  it("reports a backward that returns the wrong number or shape of gradients", () => {
    const bad = customVjp((x: Tensor) => ({ output: mul(x, 1), saved: null }), (_s, g) => [g, g], "bad");
    expect(() => sum(bad(tensor([1, 2]).requiresGrad_())).backward()).toThrow("customVjp(bad): backward returned 2 gradients for 1 inputs ([2])");
    const wrong = customVjp((x: Tensor) => ({ output: mul(x, 1), saved: null }), () => [tensor([1, 2, 3])], "wrong");
    expect(() => sum(wrong(tensor([1, 2]).requiresGrad_())).backward()).toThrow(
      "backward: gradient rule of 'customVjp(wrong)' (inputs: [2]; output: [2]), input 0: gradient of shape [3] cannot be reduced to the input shape [2]",
    );
  });
});
