import { Linear } from "@heed/nn";
import { Generator, randn, type Tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { exportOnnx } from "./export.js";

const linear = (): Linear => new Linear(3, 2, { rng: new Generator(0) });
const x2 = (): Tensor => randn([2, 3], new Generator(1));

describe("exportOnnx checks its arguments", () => {
  it("an unknown option (a PyTorch name) throws instead of being ignored", () => {
    expect(() => exportOnnx(linear(), { x: x2() }, { dynamic_axes: { x: ["batch", null] } } as never)).toThrow(
      "exportOnnx: unknown option 'dynamic_axes' (accepted options: dynamicAxes, outputNames, forward, graphName, attention) — did you mean 'dynamicAxes'?",
    );
  });

  it("no example inputs, or a bare tensor, says what it expects (was a TypeError)", () => {
    expect(() => exportOnnx(linear(), {})).toThrow("exportOnnx: expected the example inputs as an object of named tensors like { x }, got an empty object {}");
    expect(() => exportOnnx(linear(), x2() as never)).toThrow("exportOnnx: expected the example inputs as an object of named tensors like { x }, got a Tensor");
  });

  it("a forward that fails on the grown inputs names exportOnnx, the growth and the fix", () => {
    // [N, in] input: the default dynamic axes make the feature axis 'seq', which cannot grow
    expect(() => exportOnnx(linear(), { x: x2() })).toThrow(/^exportOnnx: the forward pass fails when the dynamic axes grow \(batch 2 → \d+, seq 3 → \d+\): linear: the last dimension of x .* — give dynamicAxes with null for the axes that must stay fixed/);
    expect(exportOnnx(linear(), { x: x2() }, { dynamicAxes: { x: ["batch", null] } }).shapes.output).toEqual(["batch", 2]);
  });
});
