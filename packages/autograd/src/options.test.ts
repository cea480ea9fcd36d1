import { Generator, mul, randn, sum, tanh, tensor, type Tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { grad, gradCheck, valueAndGrad } from "./index.js";

const x = (): Tensor => randn([3], new Generator(1), "float64");
const backwardGrad = (o: object): number[] => {
  const w = tensor([1, 2, 3]).requiresGrad_();
  sum(mul(w, w)).backward(undefined, o);
  return Array.from(w.grad!.data);
};

/** [function name in the error, call with an options object, a valid non-default options object]. */
const CASES: [string, (o: object) => unknown, object][] = [
  ["gradCheck", (o) => gradCheck((t) => tanh(t), [x()], o).maxAbsError, { eps: 1e-3 }],
  ["backward", backwardGrad, { retainGraph: true }],
];

describe("options objects of @heed/autograd", () => {
  it.each(CASES)("%s rejects an unknown key, naming the function, the key and the accepted keys", (name, call, valid) => {
    const key = Object.keys(valid)[0]!;
    expect(() => call({ retain_graph: true })).toThrow(new RegExp(`^${name}: unknown option 'retain_graph' \\(accepted options: .*${key}`));
  });

  it.each(CASES)("%s treats an explicitly undefined option as its default", (_name, call, valid) => {
    expect(call(Object.fromEntries(Object.keys(valid).map((k) => [k, undefined])))).toEqual(call({}));
  });

  it("backward hints retainGraph for PyTorch's retain_graph", () => {
    expect(() => backwardGrad({ retain_graph: true })).toThrow("backward: unknown option 'retain_graph' (accepted options: retainGraph) — did you mean 'retainGraph'?");
  });

  it("grad and valueAndGrad refuse argnums that are not indices", () => {
    const f = (a: Tensor): Tensor => sum(mul(a, a));
    expect(() => grad(f, { argnums: 0 } as never)).toThrow("grad: expected argnums to be an argument index or an array of indices, got an object {argnums}");
    expect(() => valueAndGrad(f, "0" as never)).toThrow("valueAndGrad: expected argnums to be an argument index or an array of indices, got string '0'");
    expect(Array.from(grad(f, 0)(tensor([1, 2])).data)).toEqual([2, 4]);
  });
});
