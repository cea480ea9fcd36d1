import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { tinyFor } from "./cli.js";

// End-to-end on the BUILT binary: train a tiny g2p model, export it, predict with both engines.
const bin = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const noOrt = fileURLToPath(new URL("./no-ort.mjs", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "heed-export-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function heed(args: string[], nodeArgs: string[] = []): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [...nodeArgs, bin, ...args], { cwd: work, encoding: "utf8", timeout: 240_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const TINY = ["--d-model", "16", "--heads", "2", "--layers", "1", "--ff", "32", "--batch-size", "32", "--eval-size", "20", "--warmup", "10"];
const WORDS = ["attention", "transformer", "heed", "onnx", "runtime", "cat"];

describe("heed export / heed predict --engine ort (built binary)", () => {
  it("exports a g2p checkpoint whose ONNX Runtime predictions equal heed predict's", () => {
    const run = join(work, "g2p");
    expect(heed(["train", ...TINY, "--max-steps", "20", "--out", run]).code).toBe(0);
    const out = join(work, "exported");
    const ex = heed(["export", run, "--out", out]);
    expect(ex.stderr).toBe("");
    expect(ex.code).toBe(0);
    for (const f of ["encoder.onnx", "decoder.onnx", "heed-onnx.json"]) expect(existsSync(join(out, f))).toBe(true);
    const sidecar = JSON.parse(readFileSync(join(out, "heed-onnx.json"), "utf8")) as { task: string; opset: number; graphs: Record<string, { inputs: string[] }> };
    expect(sidecar).toMatchObject({ task: "g2p", opset: 17 });
    expect(sidecar.graphs.decoder!.inputs).toEqual(["tgt", "src_pad", "past_key_0", "past_value_0", "cross_key_0", "cross_value_0"]);
    const want = heed(["predict", run, ...WORDS]);
    expect(want.code).toBe(0);
    expect(heed(["predict", out, "--engine", "ort", ...WORDS]).stdout).toBe(want.stdout);
    expect(heed(["predict", run, "--engine", "ort", ...WORDS]).stdout).toBe(want.stdout); // a checkpoint, exported in memory
    expect(heed(["--threads", "2", "predict", out, "--engine", "ort", ...WORDS]).stdout).toBe(want.stdout);
    const beam = heed(["predict", run, "--beam", "3", ...WORDS]);
    expect(beam.code).toBe(0);
    expect(heed(["predict", out, "--engine", "ort", "--beam", "3", ...WORDS]).stdout).toBe(beam.stdout);
  }, 600_000);

  it("exports a translate checkpoint whose ONNX Runtime translations equal heed predict's", () => {
    const run = join(work, "translate");
    expect(heed(["train", "translate", ...TINY, "--max-steps", "10", "--out", run]).code).toBe(0);
    const phrases = ["red heart", "flag: United States", "smiling face", "cat"];
    const want = heed(["predict", run, "--decode", "greedy", ...phrases]); // the ort engine decodes greedy or beam search, not MBR (heed's default for translate)
    expect(want.code).toBe(0);
    expect(want.stdout.split("\n").filter((l) => (l.split("\t")[1] ?? "") !== "")).not.toHaveLength(0);
    expect(heed(["export", run]).code).toBe(0);
    expect(heed(["predict", join(run, "onnx"), "--engine", "ort", ...phrases]).stdout).toBe(want.stdout);
  }, 600_000);

  it("exports a translate --recipe long checkpoint (an ensemble of two) as each member's graphs, decoded jointly", () => {
    const run = join(work, "translate-long");
    expect(heed(["train", "translate", "--recipe", "long", ...TINY, "--max-steps", "10", "--out", run]).code).toBe(0);
    const phrases = ["red heart", "flag: United States", "cat"];
    const want = heed(["predict", run, "--decode", "greedy", ...phrases]);
    expect(want.code).toBe(0);
    expect(heed(["export", run]).code).toBe(0);
    const sidecar = JSON.parse(readFileSync(join(run, "onnx", "heed-onnx.json"), "utf8")) as { members?: number; graphs: Record<string, { file: string }> };
    expect(sidecar.members).toBe(2);
    expect(Object.keys(sidecar.graphs)).toEqual(["encoder", "decoder", "encoder.1", "decoder.1"]);
    expect(heed(["predict", join(run, "onnx"), "--engine", "ort", ...phrases]).stdout).toBe(want.stdout);
  }, 600_000);

  it("without onnxruntime-node, --engine ort exits 2 with one line saying how to install it", () => {
    const r = heed(["predict", join(work, "exported"), "--engine", "ort", "cat"], ["--import", noOrt]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^heed: --engine ort needs onnxruntime-node, .*npm install onnxruntime-node@1\.30\.0/)]);
    expect(heed(["predict", join(work, "exported"), "--engine", "tpu", "cat"]).stderr).toMatch(/--engine must be 'heed' or 'ort', got 'tpu'/);
    const again = heed(["export", join(work, "g2p"), "--out", join(work, "exported-without-ort")], ["--import", noOrt]); // export needs no ONNX Runtime
    expect([again.code, again.stderr]).toEqual([0, ""]);
    expect(heed(["export", join(work, "g2p"), "--attention", "flash"]).stderr).toBe("heed: export: --attention must be composed, ort-mha or onnx-attention, got 'flash'\n");
  }, 120_000);

  it.each([
    ["classify", ["red heart", "smiling cat face with tears of joy", "flag: Japan"]],
    ["forecast", ["2015-03", "2021-06", Array.from({ length: 24 }, (_, i) => (400 + i / 4).toFixed(2)).join(" ")]],
    ["seed", ["1 2 3 4 5 6 7 8", "0 0 0 0 0 0 0 -1.5"]],
    ["digits", ["test:0", "test:7", "test:123"]],
  ])("exports a %s checkpoint whose ONNX Runtime predictions equal heed predict's", (task, inputs) => {
    const run = join(work, task);
    const digits = task === "digits" ? ["--attention", "multihead"] : [];
    expect(heed(["train", task, ...tinyFor(task), ...digits, "--max-steps", "3", "--out", run]).code).toBe(0);
    const out = join(work, `${task}-onnx`);
    expect(heed(["export", run, "--out", out]).code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, "heed-onnx.json"), "utf8"))).toMatchObject({ task, opset: 17, graphs: { model: { file: "model.onnx" } } });
    const want = heed(["predict", run, ...inputs]);
    expect(want.code).toBe(0);
    expect(want.stdout.trim().split("\n")).toHaveLength(inputs.length);
    expect(heed(["predict", out, "--engine", "ort", ...inputs]).stdout).toBe(want.stdout);
    expect(heed(["--threads", "2", "predict", run, "--engine", "ort", ...inputs]).stdout).toBe(want.stdout);
    if (task === "seed") expect(heed(["predict", out, "--engine", "ort", "--beam", "2", ...inputs]).stderr).toBe("heed: predict: --beam applies to g2p and translate (beam-search decoding), not to 'seed'\n");
  }, 600_000);
});
