import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { noGrad } from "@heed/autograd";
import { loadEmojiClassification } from "@heed/datasets/node";
import type { AttentionExport } from "@heed/onnx";
import { Generator, randn, type Tensor } from "@heed/tensor-core";
import * as ort from "onnxruntime-node";
import { afterAll, describe, expect, it } from "vitest";
import type { AttentionKind, TrainConfig } from "../src/config.js";
import { exportCheckpoint } from "../src/export.js";
import { fromOrt, ortGraphPredictor, toOrt } from "../src/export-ort-graph.js";
import type { GraphRun, TaskDefinition } from "../src/task.js";
import { forecastTaskOf } from "../src/tasks/forecast.js";
import { TASK_DEFINITIONS } from "../src/tasks/index.js";
import { configOf, trainSteps } from "./tasks-testing.js";

// Every one-graph task: train a few steps, export, and on held-out inputs compare (1) the
// graph's raw outputs in ONNX Runtime with Heed's forward on the same feeds (rtol 1e-4,
// atol 1e-5) and (2) predict's answers through the exported directory's path with Heed's.

// and, where python3 has the onnx package, ONNX's own checker with full shape inference on the file
const checker = fileURLToPath(new URL("../../../packages/onnx/test/onnx_check.py", import.meta.url));
const hasOnnx = spawnSync("python3", ["-c", "import onnx"]).status === 0;
const dir = mkdtempSync(join(tmpdir(), "heed-export-tasks-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SMALL: Partial<TrainConfig> = { dModel: 16, heads: 2, layers: 1, ff: 32, batchSize: 16 };

function expectClose(got: Tensor, want: Tensor, label: string): void {
  expect(got.shape, `${label}: shape`).toEqual(want.shape);
  for (let i = 0; i < want.size; i++) {
    const [a, b] = [Number(got.data[i]), Number(want.data[i])];
    if (!(Math.abs(a - b) <= 1e-5 + 1e-4 * Math.abs(b))) expect.fail(`${label}: element ${i} is ${a} in ONNX Runtime but ${b} in Heed`);
  }
}

async function check(def: TaskDefinition, overrides: Partial<TrainConfig>, inputs: string[], attention: AttentionExport = "composed"): Promise<void> {
  const config = configOf(def, { ...SMALL, ...overrides });
  const { rt } = trainSteps(def, config, 3);
  const vocab: unknown = JSON.parse(JSON.stringify(rt.vocab()));
  const { sidecar, files } = exportCheckpoint(rt, config, vocab, attention);
  expect(Object.keys(files)).toEqual(["model.onnx"]);
  if (hasOnnx) {
    const file = join(dir, `${def.name}-${attention}.onnx`);
    writeFileSync(file, files["model.onnx"]!);
    const r = spawnSync("python3", [checker, file], { encoding: "utf8" });
    expect(r.stdout + r.stderr, "ONNX's checker with full shape inference").toBe(`ok ${file}\n`);
  }
  const hook = rt.onnx!;
  for (const level of ["disabled", "all"] as const) {
    const session = await ort.InferenceSession.create(files["model.onnx"]!, { graphOptimizationLevel: level, intraOpNumThreads: 1 });
    let runs = 0;
    const run: GraphRun = async (feeds) => {
      const out = await session.run(Object.fromEntries(Object.entries(feeds).map(([k, t]) => [k, toOrt(ort, t)])));
      const got = hook.outputNames.map((n) => fromOrt(out[n]!));
      const want = noGrad(() => hook.forward(feeds));
      got.forEach((g, i) => expectClose(g, want[i]!, `${def.name} ${hook.outputNames[i]} (run ${++runs}, optimisation ${level})`));
      return got;
    };
    expect(await hook.predict(inputs, run)).toEqual(noGrad(() => rt.predict(inputs)));
    expect(runs).toBeGreaterThan(0);
  }
  // the exported directory's path: the task rebuilt from the sidecar, the session from the file
  const predict = await ortGraphPredictor(ort, JSON.parse(JSON.stringify(sidecar)) as typeof sidecar, files, 1);
  expect(await predict(inputs)).toEqual(noGrad(() => rt.predict(inputs)));
}

describe("heed export + --engine ort, one-graph tasks (held-out inputs)", () => {
  it("classify (WordNet features in the grams input): 64 test phrases", async () => {
    const phrases = loadEmojiClassification("en").test.slice(0, 64).map((p) => p.text);
    await check(TASK_DEFINITIONS.classify, {}, phrases);
  });

  it("forecast: every test month of 2016–2019 and a month 20 steps past the data", async () => {
    const months = Array.from({ length: 48 }, (_, i) => `${2016 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}`);
    await check(TASK_DEFINITIONS.forecast, {}, [...months, "2021-12"]);
  });

  it("forecast with the structural token (a constant matmul in the graph; the window stays the only input)", async () => {
    await check(forecastTaskOf({ structural: true }), {}, ["2016-01", "2017-06", "2019-12", "2021-12"]);
  });

  it.each(["feature", "dot", "scaled", "multihead", "residual"])("seed with --attention %s: 32 random feature rows", async (attention) => {
    const x = randn([32, 8], new Generator(7)).data;
    const rows = Array.from({ length: 32 }, (_, i) => Array.from(x.subarray(i * 8, i * 8 + 8), (v) => v.toFixed(3)).join(" "));
    await check(TASK_DEFINITIONS.seed, { attention: attention as AttentionKind }, rows);
  });

  it.each(["composed", "ort-mha", "onnx-attention"] as const)("digits: the first 40 test digits (attention exported as %s)", async (attention) => {
    await check(TASK_DEFINITIONS.digits, { attention: "multihead", batchSize: 8 }, Array.from({ length: 40 }, (_, i) => `test:${i}`), attention);
  });

  it.each(["ort-mha", "onnx-attention"] as const)("classify with its residual multi-head attention exported as %s", async (attention) => {
    const phrases = loadEmojiClassification("en").test.slice(0, 64).map((p) => p.text);
    await check(TASK_DEFINITIONS.classify, {}, phrases, attention);
  });
});
