import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Seq2SeqTransformer, TransformerEncoderLayer } from "@heed/attention";
import { Generator, greater, rand, randint, randn, Tensor } from "@heed/tensor-core";
import { afterAll, describe, expect, it } from "vitest";
import { exportOnnx } from "./export.js";
import { exportSeq2Seq } from "./seq2seq.js";

// ONNX's own checker (Python `onnx`, full check + strict shape inference) on exported files,
// when python3 with the onnx package is installed (it is on the reference machine: onnx 1.23.1).
const script = fileURLToPath(new URL("../test/onnx_check.py", import.meta.url));
const hasOnnx = spawnSync("python3", ["-c", "import onnx"]).status === 0;
const dir = mkdtempSync(join(tmpdir(), "heed-onnx-check-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function check(files: Record<string, Uint8Array>): void {
  const paths = Object.entries(files).map(([name, bytes]) => {
    const p = join(dir, `${name}.onnx`);
    writeFileSync(p, bytes);
    return p;
  });
  const r = spawnSync("python3", [script, ...paths], { encoding: "utf8" });
  expect(r.stdout + r.stderr).toBe(paths.map((p) => `ok ${p}\n`).join(""));
}

describe.skipIf(!hasOnnx)("exported files pass ONNX's checker with full shape inference", () => {
  it.each(["composed", "onnx-attention", "ort-mha"] as const)("a Transformer encoder layer with a padding mask, and the seq2seq encoder and decoder (attention %s)", (attention) => {
    const g = new Generator(0);
    const layer = new TransformerEncoderLayer({ dModel: 8, nhead: 2, dimFeedforward: 16, rng: g }).eval();
    const enc = exportOnnx(layer, { x: randn([2, 5, 8], g), pad: greater(rand([2, 5], g), 0.7) }, {
      forward: ({ x, pad }) => layer.forward(x!, { srcKeyPaddingMask: pad! }), attention,
    });
    const model = new Seq2SeqTransformer({ srcVocab: 12, tgtVocab: 10, dModel: 16, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 32, maxLen: 32, rng: g }).eval();
    const s2s = exportSeq2Seq(model, randint(3, 12, [2, 5], g), new Tensor(new Uint8Array(10), [2, 5], "bool"), g, { attention });
    check({ [`layer-${attention}`]: enc.bytes, [`encoder-${attention}`]: s2s.encoder.bytes, [`decoder-${attention}`]: s2s.decoder.bytes });
  });
});
