/**
 * ONNX's own checker with full shape inference (`onnx.checker.check_model(m, full_check=True)`),
 * run through Python's `onnx` package (`pip install onnx`); skipped where it is not installed.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MultiHeadAttention, TransformerDecoder, TransformerEncoder } from "@heed/attention";
import { exportOnnx } from "@heed/onnx";
import { Embedding, LayerNorm, Linear } from "@heed/nn";
import { Generator, greater, rand, randint, randn } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";

const hasOnnx = spawnSync("python3", ["-c", "import onnx"]).status === 0;
const CHECK = "import onnx, sys\nfor p in sys.argv[1:]:\n    onnx.checker.check_model(onnx.load(p), full_check=True)\nprint('ok', len(sys.argv) - 1)";

describe.skipIf(!hasOnnx)("onnx.checker.check_model(full_check=True)", () => {
  it("accepts the exported layers, attention and stacks", () => {
    const g = new Generator(0);
    const layer = { dModel: 8, nhead: 2, dimFeedforward: 16, rng: g };
    const mha = new MultiHeadAttention({ embedDim: 8, numHeads: 2, rng: g });
    const enc = new TransformerEncoder({ layer, numLayers: 2, norm: true });
    const dec = new TransformerDecoder({ layer, numLayers: 2 });
    const x = randn([2, 5, 8], g);
    const pad = greater(rand([2, 5], g), 0.7);
    const models = {
      linear: exportOnnx(new Linear(8, 3, { rng: g }), { x }),
      layerNorm: exportOnnx(new LayerNorm(8), { x }),
      embedding: exportOnnx(new Embedding(9, 4, { rng: g }), { ids: randint(0, 9, [2, 5], g) }),
      mha: exportOnnx(mha, { x, pad }, { forward: ({ x, pad }) => mha.forward(x!, x!, x!, { keyPaddingMask: pad!, isCausal: true, needWeights: false }).output }),
      encoder: exportOnnx(enc, { x, pad }, { forward: ({ x, pad }) => enc.forward(x!, { srcKeyPaddingMask: pad! }) }),
      decoder: exportOnnx(dec, { y: randn([2, 3, 8], g), mem: x }, {
        dynamicAxes: { y: ["batch", "tgt", null], mem: ["batch", "src", null] },
        forward: ({ y, mem }) => dec.forward(y!, mem!, { tgtIsCausal: true }),
      }),
    };
    const dir = mkdtempSync(join(tmpdir(), "heed-onnx-"));
    try {
      const files = Object.entries(models).map(([name, m]) => {
        const file = join(dir, `${name}.onnx`);
        writeFileSync(file, m.bytes);
        return file;
      });
      expect(execFileSync("python3", ["-c", CHECK, ...files], { encoding: "utf8" }).trim()).toBe(`ok ${files.length}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
