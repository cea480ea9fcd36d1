import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { runEval } from "./commands.js";
import { train } from "./train.js";
import { TASK_DEFINITIONS } from "./tasks/index.js";

const out = mkdtempSync(join(tmpdir(), "heed-eval-limit-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe("heed eval --limit", () => {
  it("is refused for seed, whose evaluation always reads its whole test split, instead of being ignored", async () => {
    const def = TASK_DEFINITIONS.seed;
    await train(def, { ...def.defaults, task: "seed", maxSteps: 1 }, { out, resume: null, reporter: { emit: () => {}, close: () => {} } });
    expect(() => runEval(out, { limit: "5" })).toThrow("eval: --limit does not apply to the 'seed' task: it always evaluates its whole test split");
    const write = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      runEval(out, { limit: "0" });
      expect(String(write.mock.calls[0]![0])).toMatch(/^seed test split: Test Loss: \d+\.\d{4}\n$/);
      runEval(out, { split: "valid" });
      expect(String(write.mock.calls[1]![0])).toMatch(/^seed validation split: Validation Loss: \d+\.\d{4}\n$/);
    } finally {
      write.mockRestore();
    }
  });

  it("--split picks the validation split and refuses any other name", () => {
    expect(() => runEval(out, { split: "train" })).toThrow("eval: invalid value for --split: 'train'; choose one of test, valid");
  });
});
