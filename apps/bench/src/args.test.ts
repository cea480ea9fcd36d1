import { describe, expect, it } from "vitest";
import { HELP, parseArgs } from "./args.js";
import { runBench } from "./run.js";

describe("parseArgs", () => {
  it("defaults to a full run", () => {
    expect(parseArgs([])).toEqual({ quick: false, long: false, filter: [], engines: [], minTimeMs: 1000, minRuns: 5, outDir: undefined, worker: undefined, help: false });
  });

  it("reads flags, lists and numbers (and ignores a lone --)", () => {
    const a = parseArgs(["--", "--quick", "--long", "--filter=matmul, softmax", "--engines=heed-js", "--min-time=200", "--min-runs=7", "--out=/tmp/x"]);
    expect(a).toEqual({ quick: true, long: true, filter: ["matmul", "softmax"], engines: ["heed-js"], minTimeMs: 200, minRuns: 7, outDir: "/tmp/x", worker: undefined, help: false });
  });

  it("--help and -h ask for the help text, which names every option", () => {
    expect(parseArgs(["--help"]).help).toBe(true);
    expect(parseArgs(["-h"]).help).toBe(true);
    for (const flag of ["--quick", "--long", "--filter=", "--engines=", "--min-time=", "--min-runs=", "--out=", "--help"]) expect(HELP).toContain(flag);
  });

  it("rejects unknown options and bad numbers with the usage", () => {
    expect(() => parseArgs(["--fast"])).toThrow(/unknown option '--fast'[\s\S]*usage/);
    expect(() => parseArgs(["--min-runs=0"])).toThrow("--min-runs needs a positive integer, got '0'");
  });
});

describe("runBench refuses what would run nothing", () => {
  it("an unknown engine or a filter that matches no case is one error naming it and the choices", async () => {
    await expect(runBench(parseArgs(["--quick", "--engines=heed-wasm,torch"]))).rejects.toThrow(/^bench: unknown engine 'torch' in --engines; choose from heed-js, heed-wasm, /);
    await expect(runBench(parseArgs(["--quick", "--filter=matmul,nomatch"]))).rejects.toThrow(/^bench: --filter 'nomatch' matches no case; case ids: .*matmul\/square-16/);
  });
});
