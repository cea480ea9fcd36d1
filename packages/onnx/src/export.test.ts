import { crossEntropy, Embedding, LayerNorm, Linear, linearReluDropout, Module, residualLayerNorm } from "@heed/nn";
import { add, gelu, Generator, randint, randn, relu, reshape, sum, type Tensor } from "@heed/tensor-core";
import { TransformerEncoderLayer } from "@heed/attention";
import onnxProto from "onnx-proto";
import { describe, expect, it } from "vitest";
import { checkExport } from "../test/ort.js";
import { exportOnnx } from "./export.js";

describe("exportOnnx: nn layers (ORT vs Heed at 2 batch sizes × 2 lengths)", () => {
  it("Linear on [B, L, E]", async () => {
    const rng = new Generator(0);
    const m = new Linear(8, 5, { rng });
    await checkExport(m, (B, L) => ({ x: randn([B, L, 8], rng) }));
  });

  it("LayerNorm", async () => {
    const rng = new Generator(1);
    const m = new LayerNorm(8);
    await checkExport(m, (B, L) => ({ x: randn([B, L, 8], rng) }));
  });

  it("Embedding", async () => {
    const rng = new Generator(2);
    const m = new Embedding(11, 6, { rng });
    await checkExport(m, (B, L) => ({ ids: randint(0, 11, [B, L], rng) }));
  });

  it("an MLP with ReLU and GELU", async () => {
    const rng = new Generator(3);
    class Mlp extends Module {
      readonly a = this.registerModule("a", new Linear(6, 12, { rng }));
      readonly b = this.registerModule("b", new Linear(12, 6, { rng }));
      forward(x: Tensor): Tensor {
        return gelu(this.b.forward(relu(this.a.forward(x))));
      }
    }
    const model = await checkExport(new Mlp(), (B, L) => ({ x: randn([B, L, 6], rng) }));
    void model;
  });

  it("the fused linear + ReLU + dropout of the feed-forward blocks (Gemm + Relu in eval mode)", async () => {
    const rng = new Generator(4);
    class Ff extends Module {
      readonly a = this.registerModule("a", new Linear(6, 12, { rng }));
      forward(x: Tensor): Tensor {
        return linearReluDropout(x, this.a.weight, this.a.bias, 0.25, this.training, rng);
      }
    }
    await checkExport(new Ff(), (B, L) => ({ x: randn([B, L, 6], rng) }));
  });

  it("the fused residual + dropout + layer norm of post-norm layers (Add + LayerNormalization in eval mode)", async () => {
    const rng = new Generator(9);
    class AddNorm extends Module {
      readonly a = this.registerModule("a", new Linear(6, 6, { rng }));
      readonly norm = this.registerModule("norm", new LayerNorm(6));
      forward(x: Tensor): Tensor {
        return residualLayerNorm(x, this.a.forward(x), [6], this.norm.weight, this.norm.bias, 1e-5, 0.1, this.training, rng);
      }
    }
    await checkExport(new AddNorm(), (B, L) => ({ x: randn([B, L, 6], rng) }));
  });

  it("a Linear on an input whose storage a reshape aliased before (x [B, W] and x as [B·W, 1])", async () => {
    const rng = new Generator(8);
    class TwoViews extends Module {
      readonly token = this.registerModule("token", new Linear(1, 4, { rng }));
      readonly ar = this.registerModule("ar", new Linear(6, 4, { rng }));
      forward(x: Tensor): Tensor {
        const [B, W] = x.shape as [number, number];
        const tokens = this.token.forward(reshape(x, [B, W, 1])); // [B, W, 4]
        return add(sum(tokens, 1), this.ar.forward(x));
      }
    }
    await checkExport(new TwoViews(), (B) => ({ x: randn([B, 6], rng) }), { dynamicAxes: { x: ["batch", null] } });
  });
});

describe("exportOnnx: the model file", () => {
  it("names initializers by state-dict key and gives inputs and outputs symbolic dims", () => {
    const layer = new TransformerEncoderLayer({ dModel: 8, nhead: 2, dimFeedforward: 16, rng: new Generator(4) });
    const out = exportOnnx(layer, { src: randn([2, 5, 8], new Generator(5)) }, { outputNames: ["hidden"] });
    const model = onnxProto.onnx.ModelProto.decode(out.bytes);
    const graph = model.graph as onnxProto.onnx.GraphProto;
    expect(graph.initializer.map((t) => t.name).filter((n) => !n!.startsWith("const")).sort()).toEqual([...layer.stateDict().keys()].sort());
    expect(Number(model.opsetImport[0]!.version)).toBe(17);
    expect(graph.input.map((i) => [i.name, i.type!.tensorType!.shape!.dim!.map((d) => d.dimParam || Number(d.dimValue))])).toEqual([["src", ["batch", "seq", 8]]]);
    expect(graph.output.map((o) => [o.name, o.type!.tensorType!.shape!.dim!.map((d) => d.dimParam || Number(d.dimValue))])).toEqual([["hidden", ["batch", "seq", 8]]]);
    expect(out).toMatchObject({ inputNames: ["src"], outputNames: ["hidden"], opset: 17, shapes: { src: ["batch", "seq", 8], hidden: ["batch", "seq", 8] } });
  });

  it("names a fused kernel that has no place in an inference trace (a backward pass)", () => {
    const rng = new Generator(5);
    class Backward extends Module {
      readonly a = this.registerModule("a", new Linear(4, 4, { rng }));
      forward(x: Tensor): Tensor {
        const y = linearReluDropout(x, this.a.weight, this.a.bias, 0, true, rng);
        y.backward(y);
        return y;
      }
    }
    expect(() => exportOnnx(new Backward(), { x: randn([2, 3, 4], rng) })).toThrow("exportOnnx: the fused kernel 'reluDropoutBackward' ran during the trace");
  });

  it("names the fused kernels of training: a loss, and dropout in training mode", () => {
    const rng = new Generator(6);
    class Loss extends Module {
      readonly a = this.registerModule("a", new Linear(4, 3, { rng }));
      forward(x: Tensor): Tensor {
        return crossEntropy(this.a.forward(x), randint(0, 3, [x.shape[0]!], rng), { labelSmoothing: 0.1 });
      }
    }
    expect(() => exportOnnx(new Loss(), { x: randn([2, 4], rng) })).toThrow("exportOnnx: the fused kernel 'softmaxCrossEntropy' ran during the trace; exportOnnx traces inference only");
    class Train extends Module {
      forward(x: Tensor): Tensor {
        return residualLayerNorm(x, x, [4], null, null, 1e-5, 0.1, true, rng);
      }
    }
    expect(() => exportOnnx(new Train(), { x: randn([2, 3, 4], rng) })).toThrow("exportOnnx: cannot export 'residualLayerNorm' in module '<root>': its dropout p=0.1 runs in training mode; call module.eval()");
  });

  it("rejects a dynamic axis of size 1 and axes of different sizes under one name", () => {
    const m = new Linear(4, 2, { rng: new Generator(6) });
    expect(() => exportOnnx(m, { x: randn([1, 3, 4], new Generator(7)) })).toThrow("exportOnnx: dynamic axis 'batch' of input 'x' [1,3,4] has size 1; give at least 2");
    expect(() => exportOnnx(m, { x: randn([2, 3, 4], new Generator(7)) }, { dynamicAxes: { x: ["batch", "batch", null] } })).toThrow(
      "exportOnnx: dynamic axis 'batch' is 2 in input 'x' but 3 in input 'x'",
    );
  });
});
