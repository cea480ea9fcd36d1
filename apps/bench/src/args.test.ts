import { describe, expect, it } from "vitest";
import { parseArgs } from "./args.js";

describe("parseArgs", () => {
  it("defaults to a full run", () => {
    expect(parseArgs([])).toEqual({ quick: false, long: false, filter: [], engines: [], minTimeMs: 1000, minRuns: 5, outDir: undefined, worker: undefined });
  });

  it("reads flags, lists and numbers (and ignores a lone --)", () => {
    const a = parseArgs(["--", "--quick", "--long", "--filter=matmul, softmax", "--engines=heed-js", "--min-time=200", "--min-runs=7", "--out=/tmp/x"]);
    expect(a).toEqual({ quick: true, long: true, filter: ["matmul", "softmax"], engines: ["heed-js"], minTimeMs: 200, minRuns: 7, outDir: "/tmp/x", worker: undefined });
  });

  it("rejects unknown options and bad numbers with the usage", () => {
    expect(() => parseArgs(["--fast"])).toThrow(/unknown option '--fast'[\s\S]*usage/);
    expect(() => parseArgs(["--min-runs=0"])).toThrow("--min-runs needs a positive integer, got '0'");
  });
});
