import { add, exp, mul, reshape, sum, tensor, zeros, type OpName, type Tensor } from "@heed/tensor-core";
import { record } from "./engine.js";
import { describe, expect, it } from "vitest";
import { noGrad, vjp } from "./index.js";

const leaf = (values: number[]): Tensor => tensor(values).requiresGrad_();

describe("engine", () => {
  it("records ops on tensors that require gradients and backpropagates a scalar", () => {
    const x = leaf([1, 2, 3]);
    const y = sum(mul(x, x));
    expect(y.requiresGrad).toBe(true);
    expect(y.gradFn).not.toBeNull();
    y.backward();
    expect(x.grad?.toArray()).toEqual([2, 4, 6]);
  });

  it("accumulates gradients across backward calls, like PyTorch", () => {
    const x = leaf([1, 2]);
    sum(mul(x, 3)).backward();
    sum(mul(x, x)).backward();
    expect(x.grad?.toArray()).toEqual([5, 7]);
  });

  it("sums gradients where a tensor is used twice", () => {
    const x = leaf([2]);
    const y = exp(x);
    add(y, mul(y, x)).backward(tensor([1])); // d/dx (e^x + x e^x) = e^x (2 + x)
    expect(x.grad!.item()).toBeCloseTo(Math.exp(2) * 4, 4);
  });

  it("reduces broadcast gradients to each input's shape", () => {
    const a = tensor([[1], [2]]).requiresGrad_(); // [2,1]
    const b = tensor([10, 20, 30]).requiresGrad_(); // [3]
    sum(mul(a, b)).backward();
    expect(a.grad?.shape).toEqual([2, 1]);
    expect(a.grad?.toArray()).toEqual([[60], [60]]);
    expect(b.grad?.toArray()).toEqual([3, 3, 3]);
  });

  it("gives leaves gradients that never share storage with each other or the upstream (reshape shares storage)", () => {
    const a = leaf([1, 2]);
    const b = tensor([[3, 4]]).requiresGrad_();
    const up = tensor([[1, 1]]);
    add(reshape(a, [1, 2]), b).backward(up);
    expect(a.grad!.data).not.toBe(b.grad!.data);
    expect(b.grad!.data).not.toBe(up.data);
    expect(a.grad!.data).not.toBe(up.data);
    expect(b.grad?.toArray()).toEqual([[1, 1]]);
  });

  it("gives each leaf its own gradient tensor and never aliases the upstream", () => {
    const a = leaf([1, 2]);
    const b = leaf([3, 4]);
    const up = tensor([1, 1]);
    add(a, b).backward(up);
    expect(a.grad).not.toBe(b.grad);
    expect(a.grad).not.toBe(up);
    expect(b.grad).not.toBe(up);
    expect(a.grad?.toArray()).toEqual([1, 1]);
  });

  it("does not record inside noGrad, and detach cuts the graph", () => {
    const x = leaf([1, 2]);
    const y = noGrad(() => mul(x, x));
    expect(y.requiresGrad).toBe(false);
    expect(y.gradFn).toBeNull();
    const d = x.detach();
    expect(d.requiresGrad).toBe(false);
    const z = mul(d, x); // only the second factor is differentiated
    sum(z).backward();
    expect(x.grad?.toArray()).toEqual([1, 2]);
  });

  it("frees the graph after backward and keeps it with retainGraph", () => {
    const x = leaf([1, 2]);
    const y = sum(mul(x, x));
    y.backward(undefined, { retainGraph: true });
    y.backward();
    expect(x.grad?.toArray()).toEqual([4, 8]);
    expect(() => y.backward()).toThrow(
      "backward: trying to backward through op 'sum' (inputs: [2]; output: []) a second time, but its graph was freed; pass { retainGraph: true } to the first backward",
    );
  });

  it("rejects a second backward through a shared, already freed subgraph before touching any .grad", () => {
    const x = leaf([1, 2]);
    const h = mul(x, x);
    sum(h).backward();
    const before = x.grad;
    expect(() => sum(mul(h, 2)).backward()).toThrow(/'mul' \(inputs: \[2\], \[2\]; output: \[2\]\) a second time.*retainGraph: true/);
    expect(x.grad).toBe(before);
  });

  it("names the shape when a non-scalar needs an upstream gradient, or the upstream has the wrong shape", () => {
    const x = leaf([1, 2, 3]);
    const y = mul(x, 2);
    expect(() => y.backward()).toThrow("backward: an upstream gradient is required for a non-scalar output of shape [3] from op 'mul'");
    expect(() => y.backward(tensor([1, 2]))).toThrow("backward: upstream gradient of shape [2] does not match the output shape [3] from op 'mul'");
    y.backward(tensor([1, 0, 2]));
    expect(x.grad?.toArray()).toEqual([2, 0, 4]);
  });

  it("an upstream gradient that is not a Tensor names backward (was a TypeError from inside); options passed first say where they go", () => {
    const x = leaf([1, 2, 3]);
    const y = mul(x, 2);
    expect(() => y.backward([1, 1, 1] as unknown as Tensor)).toThrow("backward: expected the upstream gradient as a Tensor of the output's shape [3], got an array [1, 1, 1]");
    const s = sum(y);
    expect(() => s.backward({ retainGraph: true } as unknown as Tensor)).toThrow(
      "backward: expected the upstream gradient as a Tensor of the output's shape [], got an object {retainGraph}; options go second: y.backward(undefined, { retainGraph: true })",
    );
    expect(() => vjp((a) => mul(a, 2), [tensor([1, 2])], [1, 1] as unknown as Tensor)).toThrow("vjp: expected 'cotangent' as a Tensor of the output's shape [2], got an array [1, 1]");
  });

  it("rejects backward from a tensor that does not require gradients, and int/bool leaves", () => {
    expect(() => tensor([1, 2]).backward(tensor([1, 1]))).toThrow(/backward: the tensor \(shape \[2\], dtype 'float32'\) does not require gradients/);
    expect(() => tensor([1, 2], undefined, "int32").requiresGrad_()).toThrow(/requiresGrad: only float tensors.*'int32'/);
    expect(() => tensor([true]).requiresGrad_()).toThrow(/requiresGrad: only float tensors.*'bool'/);
  });

  it("handles size-0 dims: empty gradients of the right shape, zeros for what broadcast over them", () => {
    const x = zeros([0, 3]).requiresGrad_();
    const b = tensor([1, 2, 3]).requiresGrad_();
    sum(mul(x, b)).backward();
    expect(x.grad?.shape).toEqual([0, 3]);
    expect(b.grad?.toArray()).toEqual([0, 0, 0]);
  });

  it("an op without a rule (possible only if the build was skipped) fails at backward, naming the op and shapes", () => {
    const x = leaf([1, 2]);
    const out = tensor([3, 4]);
    record("fooOp" as OpName, [x], {}, out);
    expect(() => sum(out).backward()).toThrow("backward: no gradient for op 'fooOp' (inputs: [2])");
  });

  it("backward from a leaf accumulates the upstream into its own .grad", () => {
    const x = leaf([1, 2]);
    x.backward(tensor([3, 4]));
    expect(x.grad?.toArray()).toEqual([3, 4]);
  });
});
