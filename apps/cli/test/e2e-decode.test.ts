import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { heed, TINY, trainedRun } from "./cli.js";

// `heed predict` / `heed eval` --decode: MBR on a translate checkpoint, one-line usage errors elsewhere.

const { work, run: g2p } = trainedRun();
const translate = join(work, "translate");

beforeAll(() => {
  // the end of the run decodes best/ as --decode says: here MBR over the kNN-MT model
  const r = heed(work, ["train", "translate", ...TINY, "--epochs", "1", "--max-steps", "2", "--eval-size", "2", "--out", translate, "--decode", "knn-mbr", "--mbr-samples", "2", "--knn-lambda", "0.25"]);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toMatch(/^best\/ \(epoch 1\) decoded with MBR \(2 samples, 0 neighbours, epsilon 0.02\) over kNN-MT \(8 neighbours, lambda 0.25, temperature 10\): Test Loss: /m);
}, 240_000);

function usage(args: string[], message: string): void {
  const r = heed(work, args);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toBe(`heed: ${message}\n`);
}

describe("heed predict / eval --decode", () => {
  it("translates with MBR: the same output every time, and eval reports its chrF", () => {
    const args = ["predict", translate, "--decode", "mbr", "--mbr-samples", "3", "--mbr-neighbours", "2", "red heart", "cat face"];
    const a = heed(work, args);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout.split("\n").filter((l) => l !== "").map((l) => l.split("\t")[0])).toEqual(["red heart", "cat face"]);
    expect(heed(work, args).stdout).toBe(a.stdout);
    const e = heed(work, ["eval", translate, "--decode", "mbr", "--mbr-samples", "2", "--limit", "2", "--json"]);
    expect(e.code, e.stderr).toBe(0);
    expect((JSON.parse(e.stdout) as { metrics: { phrases: number } }).metrics.phrases).toBe(2);
  }, 240_000);

  it("translates with kNN-MT and with MBR over it; eval reads the validation split with --split valid", () => {
    for (const decode of ["knn", "knn-mbr"]) {
      const a = heed(work, ["predict", translate, "--decode", decode, "--knn-neighbours", "4", ...(decode === "knn-mbr" ? ["--mbr-samples", "2"] : []), "red heart"]);
      expect(a.code, a.stderr).toBe(0);
      expect(a.stdout.split("\n").length, a.stdout).toBe(2); // one argument: its translation alone, one line
      expect(a.stdout).not.toContain("\t");
    }
    const e = heed(work, ["eval", translate, "--decode", "knn", "--split", "valid", "--limit", "2", "--json"]);
    expect(e.code, e.stderr).toBe(0);
    const parsed = JSON.parse(e.stdout) as { split: string; metrics: { phrases: number } };
    expect(parsed.split).toBe("valid");
    expect(parsed.metrics.phrases).toBe(2);
  }, 240_000);

  it("rejects MBR where it does not apply with one line (the other flag errors: decode-flags.test.ts)", () => {
    usage(["predict", g2p, "--decode", "mbr", "cat"], "predict: --decode mbr applies to translate (minimum Bayes-risk decoding), not to 'g2p'");
    usage(["predict", translate, "--engine", "ort", "--decode", "mbr", "cat"], "predict: --decode mbr runs on the heed engine only (--engine ort decodes greedy or beam search)");
    usage(["predict", g2p, "--decode", "knn", "cat"], "predict: --decode knn applies to translate (kNN-MT decoding), not to 'g2p'");
    usage(["predict", translate, "--engine", "ort", "--decode", "knn", "cat"], "predict: --decode knn runs on the heed engine only (--engine ort decodes greedy or beam search)");
  }, 240_000);
});
