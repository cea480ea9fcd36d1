import { Seq2SeqTransformer, TransformerEncoderLayer } from "@heed/attention";
import { Generator, greater, rand, randn, randint, Tensor, type Tensor as T } from "@heed/tensor-core";
import onnxProto from "onnx-proto";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { toOrt } from "../test/ort.js";
import { exportOnnx } from "./export.js";
import { exportSeq2Seq } from "./seq2seq.js";

type Model = onnxProto.onnx.ModelProto;

/** A dim_param such as `batch`, `2*seq`, `past+1` at the given sizes (null: a name of its own). */
function evaluate(d: string, sizes: Record<string, number>): number | null {
  let total = 0;
  for (const term of d.split("+")) {
    let p = 1;
    for (const f of term.split("*")) {
      const v = /^\d+$/.test(f) ? Number(f) : sizes[f];
      if (v === undefined) return null;
      p *= v;
    }
    total += p;
  }
  return total;
}

/**
 * Every value_info entry made a graph output, the graph run in ONNX Runtime at sizes none of
 * them the example's, at optimisation levels 0 and 99: each value's type and dims must be what
 * its value_info says. Returns how many entries were checked.
 */
async function checkValueInfo(bytes: Uint8Array, feeds: Record<string, T>, sizes: Record<string, number>): Promise<number> {
  const model: Model = onnxProto.onnx.ModelProto.decode(bytes);
  const info = model.graph!.valueInfo!;
  model.graph!.output!.push(...info);
  const exposed = onnxProto.onnx.ModelProto.encode(model).finish();
  for (const level of ["disabled", "all"] as const) {
    const s = await ort.InferenceSession.create(exposed, { graphOptimizationLevel: level, intraOpNumThreads: 1 });
    const out = await s.run(Object.fromEntries(Object.entries(feeds).map(([k, t]) => [k, toOrt(t)])));
    for (const vi of info) {
      const got = out[vi.name!]!;
      const tt = vi.type!.tensorType!;
      const want = tt.shape!.dim!.map((d) => (d.dimParam ? evaluate(d.dimParam, sizes) : Number(d.dimValue)));
      expect(got.dims.map((d, i) => (want[i] === null ? null : Number(d))), `${vi.name} dims (level ${level})`).toEqual(want);
      expect({ 1: "float32", 6: "int32", 7: "int64", 9: "bool" }[tt.elemType!], `${vi.name} type`).toBe(got.type);
    }
  }
  return info.length;
}

describe("exportOnnx: graph-level shape info (value_info) of intermediate values", () => {
  it("a Transformer encoder layer with a key padding mask: every entry matches ORT's values at batch 3 × seq 7", async () => {
    const g = new Generator(0);
    const layer = new TransformerEncoderLayer({ dModel: 8, nhead: 2, dimFeedforward: 16, rng: g }).eval();
    const ex = exportOnnx(layer, { x: randn([2, 5, 8], g), pad: greater(rand([2, 5], g), 0.7) }, {
      forward: ({ x, pad }) => layer.forward(x!, { srcKeyPaddingMask: pad! }),
      dynamicAxes: { x: ["batch", "seq", null], pad: ["batch", "seq"] },
    });
    const pad = new Tensor(Uint8Array.from({ length: 21 }, (_, i) => (i % 7 === 6 ? 1 : 0)), [3, 7], "bool");
    const n = await checkValueInfo(ex.bytes, { x: randn([3, 7, 8], g), pad }, { batch: 3, seq: 7 });
    expect(n).toBeGreaterThan(20);
  });

  it("the one-step decoder with caches (past+1 dims): batch 3, src 6, past 4", async () => {
    const g = new Generator(1);
    const model = new Seq2SeqTransformer({ srcVocab: 12, tgtVocab: 10, dModel: 16, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 32, maxLen: 32, rng: g }).eval();
    const src = randint(3, 12, [2, 5], g);
    const { encoder, decoder } = exportSeq2Seq(model, src, new Tensor(new Uint8Array(10), [2, 5], "bool"));
    const pad = new Tensor(Uint8Array.from({ length: 18 }, (_, i) => (i % 6 === 5 ? 1 : 0)), [3, 6], "bool");
    expect(await checkValueInfo(encoder.bytes, { src: randint(3, 12, [3, 6], g), src_pad: pad }, { batch: 3, src: 6 })).toBeGreaterThan(10);
    const feeds = {
      tgt: randint(3, 10, [3, 1], g), src_pad: pad,
      past_key_0: randn([3, 4, 16], g), past_value_0: randn([3, 4, 16], g), cross_key_0: randn([3, 6, 16], g), cross_value_0: randn([3, 6, 16], g),
    };
    expect(await checkValueInfo(decoder.bytes, feeds, { batch: 3, src: 6, past: 4 })).toBeGreaterThan(10);
  });
});
