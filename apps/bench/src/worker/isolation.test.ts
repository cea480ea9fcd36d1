import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseArgs } from "../args.js";
import { markdownReport } from "../report.js";
import { failures, runBench } from "../run.js";
import { childGlibcTunables } from "./parent.js";

// The children run the benchmark's TypeScript sources directly (tsx) on Heed's sources.
const children = { script: fileURLToPath(new URL("../index.ts", import.meta.url)), execArgv: ["--import", "tsx", "--conditions=@heed/source"] };

describe("every engine in its own process", () => {
  it("times each engine of a case in a separate child process and reports its memory, GC and idle CPU", async () => {
    const args = parseArgs(["--filter=matmul/square-128", "--engines=heed-js,heed-wasm,tfjs-cpu", "--min-runs=2", "--min-time=1"]);
    const report = await runBench(args, { children });
    expect(failures(report)).toEqual([]);
    expect(report.engines.map((e) => e.process)).toEqual(Array(3).fill("own child process per case"));
    const [c] = report.cases;
    expect(c!.id).toBe("matmul/square-128");
    const pids = c!.results.map((r) => r.pid);
    for (const r of c!.results) {
      expect(r.status, `${r.engine}: ${r.reason ?? ""}`).toBe("ok");
      expect(r.stats!.runs).toBeGreaterThanOrEqual(2);
      expect(r.session!.peakRss).toBeGreaterThan(0);
      expect(r.session!.timedMs).toBeGreaterThan(0);
    }
    expect(new Set(pids).size).toBe(3);
    expect(pids).not.toContain(process.pid);
    // WebAssembly memory is seen only in the wasm engine's process
    expect(c!.results.find((r) => r.engine === "heed-wasm")!.stats!.memory.wasm).toBeGreaterThan(0);
    expect(c!.results.find((r) => r.engine === "tfjs-cpu")!.stats!.memory.wasm).toBeUndefined();
    expect(c!.load!.loadAfter).toBeGreaterThanOrEqual(0);
    expect(markdownReport(report)).toContain("own child process per case");
    // the allocator settings the children started with are stated with the machine
    expect(report.machine.childGlibcTunables).toBe(childGlibcTunables());
    expect(markdownReport(report)).toContain("engines' GLIBC_TUNABLES");
  });

  it("reports an engine whose child dies as an error, not a crash of the run", async () => {
    const report = await runBench(parseArgs(["--quick", "--filter=matmul/square-16", "--engines=heed-js"]), {
      children: { ...children, execArgv: [...children.execArgv, "--require=/nonexistent/heed-bench-missing.cjs"] },
    });
    expect(report.engines[0]!.available).toMatch(/^cannot load: child for loading@heed-js exited/);
    expect(report.cases[0]!.results[0]!.status).toBe("error");
  });
});
