import { Seq2SeqTransformer } from "@heed/attention";
import { Linear } from "@heed/nn";
import { Generator, randn, tensor, type Tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { exportOnnx } from "./export.js";
import { exportSeq2Seq } from "./seq2seq.js";

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

  it("a value that is not a module, an array of inputs or a non-tensor input names exportOnnx and what it got (was a TypeError or an input named '0')", () => {
    expect(() => exportOnnx({} as never, { x: x2() })).toThrow("exportOnnx: expected a Module (from @heed/nn or @heed/attention) as the first argument, got an empty object {}");
    expect(() => exportOnnx(null as never, { x: x2() })).toThrow("exportOnnx: expected a Module (from @heed/nn or @heed/attention) as the first argument, got null");
    expect(() => exportOnnx(linear(), [x2()] as never)).toThrow("exportOnnx: expected the example inputs as an object of named tensors like { x }, got an array […]");
    expect(() => exportOnnx(linear(), { x: [[1, 2, 3]] } as never)).toThrow("exportOnnx: example input 'x' must be a Tensor, got an array […]");
  });

  it("dynamicAxes: a list longer than the input's rank, a string or a non-name entry is refused (was ignored, or a TypeError)", () => {
    expect(() => exportOnnx(linear(), { x: x2() }, { dynamicAxes: { x: ["batch", null, null] } })).toThrow(
      `exportOnnx: dynamicAxes.x must be an array of at most 2 axis names or null (one per axis of [2,3], like ["batch",null]), got an array [batch, null, null]`,
    );
    expect(() => exportOnnx(linear(), { x: x2() }, { dynamicAxes: { x: "batch" } as never })).toThrow("exportOnnx: dynamicAxes.x must be an array of at most 2 axis names or null");
    expect(() => exportOnnx(linear(), { x: x2() }, { dynamicAxes: { x: [0, null] } as never })).toThrow("exportOnnx: dynamicAxes.x must be an array");
    expect(() => exportOnnx(linear(), { x: x2() }, { dynamicAxes: [["batch", null]] } as never)).toThrow("exportOnnx: expected dynamicAxes as an object of per-input axis names");
    // a shorter list leaves the remaining axes fixed
    expect(exportOnnx(linear(), { x: x2() }, { dynamicAxes: { x: ["batch"] } }).shapes.x).toEqual(["batch", 3]);
  });

  it("an unknown attention form is refused before the module is traced", () => {
    let calls = 0;
    const forward = ({ x }: Record<string, Tensor>) => (calls++, linear().forward(x!));
    expect(() => exportOnnx(linear(), { x: x2() }, { dynamicAxes: { x: ["batch", null] }, forward, attention: "flash" as never })).toThrow(
      `exportOnnx: attention must be "composed", "ort-mha" or "onnx-attention", got string 'flash'`,
    );
    expect(calls).toBe(0);
  });

  it("forward must be a function returning tensors (a graph with no output was written)", () => {
    expect(() => exportOnnx(linear(), { x: x2() }, { forward: 3 as never })).toThrow("exportOnnx: forward must be a function of the named inputs, like ({ x }) => model.forward(x!), got number 3");
    expect(() => exportOnnx(linear(), { x: x2() }, { dynamicAxes: { x: ["batch", null] }, forward: () => 3 as never })).toThrow(
      "exportOnnx: the forward pass must return a Tensor, an array of tensors or a record of tensors, got number 3",
    );
    expect(() => exportOnnx(linear(), { x: x2() }, { dynamicAxes: { x: ["batch", null] }, forward: () => [] })).toThrow("exportOnnx: the forward pass must return a Tensor, an array of tensors or a record of tensors, got an array []");
  });

  it("exportSeq2Seq names itself for a model that is not a Seq2SeqTransformer or a missing srcPad (was a TypeError)", () => {
    const src = tensor([[3, 4, 5], [6, 7, 0]], "int32");
    const pad = tensor([[false, false, false], [false, false, true]]);
    expect(() => exportSeq2Seq(linear() as never, src, pad)).toThrow("exportSeq2Seq: expected a Seq2SeqTransformer (from @heed/attention), got a Linear");
    const model = new Seq2SeqTransformer({ srcVocab: 10, tgtVocab: 10, dModel: 4, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 4, rng: new Generator(0) });
    expect(() => exportSeq2Seq(model, src, undefined as never)).toThrow("exportSeq2Seq: expected srcPad as a Tensor (src int32 [B, S], srcPad bool [B, S], true = padding), got undefined");
    expect(() => exportSeq2Seq(model, src, pad, 0 as never)).toThrow("exportSeq2Seq: expected rng as a Generator, got number 0");
  });

  it("a forward that fails on the grown inputs names exportOnnx, the growth and the fix", () => {
    // [N, in] input: the default dynamic axes make the feature axis 'seq', which cannot grow
    expect(() => exportOnnx(linear(), { x: x2() })).toThrow(/^exportOnnx: the forward pass fails when the dynamic axes grow \(batch 2 → \d+, seq 3 → \d+\): linear: the last dimension of x .* — give dynamicAxes with null for the axes that must stay fixed/);
    expect(exportOnnx(linear(), { x: x2() }, { dynamicAxes: { x: ["batch", null] } }).shapes.output).toEqual(["batch", 2]);
  });
});
