import { add, mul, square, sum, tensor, type Tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { customVjp, grad, valueAndGrad, vjp } from "./index.js";

const f = (w: Tensor, x: Tensor): Tensor => sum(square(mul(w, x))); // Σ (w·x)²

describe("grad / valueAndGrad / vjp", () => {
  it("grad differentiates with respect to every tensor argument by default", () => {
    const [dw, dx] = grad(f)(tensor([1, 2]), tensor([3, 4]));
    expect(dw!.toArray()).toEqual([18, 64]); // 2·w·x²
    expect(dx!.toArray()).toEqual([6, 32]); // 2·w²·x
  });

  it("argnums selects arguments: a number gives one tensor, an array gives an array", () => {
    expect(grad(f, 1)(tensor([1, 2]), tensor([3, 4])).toArray()).toEqual([6, 32]);
    const gs = grad(f, [1])(tensor([1, 2]), tensor([3, 4]));
    expect(gs).toHaveLength(1);
    const g = grad((s: number, x: Tensor) => sum(mul(x, s)), 1)(3, tensor([1, 2]));
    expect(g.toArray()).toEqual([3, 3]);
  });

  it("valueAndGrad returns the value (detached) and the gradients", () => {
    const [value, [dw]] = valueAndGrad(f, [0])(tensor([1, 2]), tensor([3, 4]));
    expect(value.item()).toBe(73);
    expect(value.requiresGrad).toBe(false);
    expect(dw!.toArray()).toEqual([18, 64]);
  });

  it("never touches the user's .grad and ignores the arguments' requiresGrad", () => {
    const w = tensor([1, 2]).requiresGrad_();
    const p = tensor([5, 5]).requiresGrad_(); // closed over, requires grad
    const dw = grad((v: Tensor) => sum(mul(add(v, p), v)), 0)(w);
    expect(dw.toArray()).toEqual([7, 9]);
    expect(w.grad).toBeNull();
    expect(p.grad).toBeNull();
  });

  it("runs no gradient rule on branches that cannot reach the selected arguments", () => {
    let calls = 0;
    const spy = customVjp((t: Tensor) => ({ output: mul(t, 1), saved: null }), (_s, g) => { calls++; return [g]; });
    const p = tensor([1, 2]).requiresGrad_(); // a parameter f closes over
    const g = grad((x: Tensor) => sum(mul(x, spy(p))), 0)(tensor([3, 4]));
    expect(g.toArray()).toEqual([1, 2]);
    expect(calls).toBe(0);
    sum(spy(p)).backward(); // with .backward() every leaf that requires gradients is reached
    expect(calls).toBe(1);
  });

  it("returns zeros for an argument f does not depend on", () => {
    const [da, db] = grad((a: Tensor, _b: Tensor) => sum(a))(tensor([1, 2]), tensor([[1, 2, 3]]));
    expect(da!.toArray()).toEqual([1, 1]);
    expect(db!.toArray()).toEqual([[0, 0, 0]]);
  });

  it("vjp multiplies the cotangent into the Jacobian", () => {
    const { output, grads } = vjp((a, b) => mul(a, b), [tensor([1, 2]), tensor([3, 4])], tensor([1, 10]));
    expect(output.toArray()).toEqual([3, 8]);
    expect(grads[0]!.toArray()).toEqual([3, 40]);
    expect(grads[1]!.toArray()).toEqual([1, 20]);
  });

  it("errors name the function and the shapes", () => {
    expect(() => grad((x: Tensor) => mul(x, 2))(tensor([1, 2]))).toThrow("grad: f must return a scalar (one-element) tensor, got shape [2]".replace("grad", "valueAndGrad"));
    expect(() => grad((x: Tensor) => sum(x))(tensor([1], undefined, "int32"))).toThrow(/valueAndGrad: argument 0 has dtype 'int32' \(shape \[1\]\); only float tensors/);
    expect(() => vjp((x) => mul(x, 2), [tensor([1, 2])])).toThrow("vjp: an upstream gradient is required for a non-scalar output of shape [2]");
    expect(() => vjp((x) => mul(x, 2), [tensor([1, 2])], tensor([1]))).toThrow("vjp: cotangent of shape [1] does not match the output shape [2]");
    expect(() => grad((x: Tensor) => sum(x), 1)(tensor([1]))).toThrow("valueAndGrad: argument 1 is missing, not a Tensor");
  });
});
