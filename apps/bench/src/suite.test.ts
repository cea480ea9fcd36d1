import { describe, expect, it } from "vitest";
import type { HeedCtx } from "./heed/api.js";
import { MissingApi } from "./heed/api.js";
import { markdownReport, textReport } from "./report.js";
import { runCase } from "./suite.js";
import type { BenchCase, Engine, Prepared } from "./types.js";
import { inProcessOpener } from "./worker/session.js";

const heedCtx: HeedCtx = { exports: new Map(), broken: new Map() };

function fakeEngine(id: string, library: "heed" | "tfjs", threads = 1, fail?: string): Engine<"heed"> | Engine<"tfjs"> {
  const base = { id, label: id, threads, activate: () => Promise.resolve() };
  if (library === "heed") return { ...base, library, load: () => (fail ? Promise.reject(new Error(fail)) : Promise.resolve(heedCtx)) };
  return { ...base, library, load: () => Promise.reject(new Error(fail ?? "tfjs is not used here")) };
}

const prepared = (values: number[], ms = 0): Prepared => ({
  run: () => {
    const end = performance.now() + ms;
    while (performance.now() < end);
  },
  check: () => Promise.resolve([Float32Array.from(values)]),
});

function sumCase(impls: BenchCase<number[]>["impls"]): BenchCase<number[]> {
  return { id: "t/sum", family: "t", title: "test", flops: 1e6, flopFormula: "1e6", tolerance: { rtol: 1e-4, atol: 1e-6 }, inputs: () => [1, 2, 3], impls };
}

const quick = () => ({ quick: true, open: inProcessOpener().open, measure: { warmup: 0, minRuns: 1, minTimeMs: 0, batchMs: 0 } });

describe("runCase", () => {
  it("marks a disagreeing engine FAIL and names the reference", async () => {
    const engines = [fakeEngine("heed-a", "heed"), fakeEngine("heed-b", "heed")];
    let calls = 0;
    const c = sumCase({ heed: (_ctx, x) => prepared(calls++ === 0 ? x : [1, 2, 3.5]) });
    const r = await runCase(c, engines, quick());
    expect(r.reference).toBe("heed-a");
    expect(r.results.map((x) => x.status)).toEqual(["ok", "FAIL"]);
    expect(r.results[1]!.reason).toContain("disagrees with heed-a: output 0[2]: 3.5 vs 3");
  });

  it("reports missing Heed API as n/a, load failures and missing implementations with reasons", async () => {
    const engines = [fakeEngine("heed-a", "heed"), fakeEngine("tfjs-x", "tfjs", 1, "no wasm here")];
    const c = sumCase({
      heed: () => {
        throw new MissingApi(["fancyOp"]);
      },
      tfjs: () => prepared([1, 2, 3]),
    });
    const r = await runCase(c, engines, quick());
    expect(r.results).toEqual([
      { engine: "heed-a", status: "n/a", reason: "missing: fancyOp" },
      { engine: "tfjs-x", status: "n/a", reason: "cannot load: no wasm here" },
    ]);
    expect(r.reference).toBeNull();
    const heedOnly = await runCase(sumCase({ heed: () => prepared([1]) }), engines, quick());
    expect(heedOnly.results[1]).toEqual({ engine: "tfjs-x", status: "n/a", reason: "no tfjs implementation of this case" });
  });

  it("times engines, computes GFLOP/s and the peer/Heed ratio against the same thread class", async () => {
    const engines = [fakeEngine("heed-1", "heed"), fakeEngine("heed-2t", "heed", 2)];
    const c = sumCase({ heed: (_ctx, x) => prepared(x, 2) });
    const r = await runCase(c, engines, { quick: false, open: inProcessOpener().open, measure: { warmup: 1, minRuns: 5, minTimeMs: 0, batchMs: 0 } });
    for (const e of r.results) {
      expect(e.status).toBe("ok");
      expect(e.stats!.runs).toBeGreaterThanOrEqual(5);
      expect(e.stats!.medianMs).toBeGreaterThanOrEqual(2);
      expect(e.gflops).toBeCloseTo(1e6 / (e.stats!.medianMs * 1e6), 10);
      expect(e.ratio).toBeUndefined(); // Heed engines carry no ratio
      expect(e.pid).toBe(process.pid); // in-process sessions
      expect(e.session!.timedMs).toBeGreaterThan(0);
    }
    expect(r.load!.loadBefore).toBeGreaterThanOrEqual(0);
    const report = { machine: { cpuModel: "cpu", cores: 2, availableParallelism: 2, totalMemoryGiB: 1, platform: "p", node: "v20", v8: "x", loadAverageAtStart: 0, date: "d" }, mode: "full" as const, engines: [], cases: [r] };
    expect(textReport(report)).toMatch(/heed-1\s+ok\s+\d/);
    expect(markdownReport(report)).toContain("### t/sum");
  });
});
