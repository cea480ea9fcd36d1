import { TransformerEncoderLayer } from "@heed/attention";
import { exportOnnx } from "@heed/onnx";
import { Generator, greater, rand, randn } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { expectClose, runOrt, session } from "./ort.js";

describe("README example", () => {
  it("exports an encoder layer that ONNX Runtime runs at another batch size and length", async () => {
    const g = new Generator(0);
    const layer = new TransformerEncoderLayer({ dModel: 16, nhead: 4, dimFeedforward: 32, rng: g });
    const x = randn([2, 7, 16], g); // [B, L, E]
    const pad = greater(rand([2, 7], g), 0.8); // [B, S], true = padding
    const model = exportOnnx(layer, { x, pad }, {
      forward: ({ x, pad }) => layer.forward(x!, { srcKeyPaddingMask: pad! }),
      dynamicAxes: { x: ["batch", "seq", null], pad: ["batch", "seq"] },
      outputNames: ["y"],
    });
    expect(model.shapes.y).toEqual(["batch", "seq", 16]);
    const inputs = { x: randn([3, 4, 16], g), pad: greater(rand([3, 4], g), 0.8) };
    const [y] = await runOrt(await session(model.bytes), model, inputs);
    layer.eval();
    expectClose(y!, layer.forward(inputs.x, { srcKeyPaddingMask: inputs.pad }), "y");
  });
});
