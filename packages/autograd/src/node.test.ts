import { mul, tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import "./index.js";
import { Node, nodeOf } from "./node.js";

describe("Node", () => {
  it("is the gradFn of a recorded output, describes itself, and drops its saved tensors when freed", () => {
    const x = tensor([[1, 2, 3]]).requiresGrad_();
    const y = mul(x, tensor([2, 2, 2]));
    const node = nodeOf(y);
    expect(node).toBeInstanceOf(Node);
    expect(nodeOf(x)).toBeNull();
    expect(node!.describe()).toBe("'mul' (inputs: [1,3], [3]; output: [1,3])");
    expect(node!.inputs[0]).toBe(x);
    node!.free();
    expect(node!.freed).toBe(true);
    expect(() => node!.inputs).toThrow(/'mul' \(inputs: \[1,3\], \[3\]; output: \[1,3\]\) a second time, but its graph was freed/);
    expect(() => node!.backward(tensor([[1, 1, 1]]), [true, false])).toThrow(/graph was freed/);
  });
});
