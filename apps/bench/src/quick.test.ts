import { describe, expect, it } from "vitest";
import { parseArgs } from "./args.js";
import { markdownReport, textReport } from "./report.js";
import { failures, runBench } from "./run.js";

// The CI suite: every case once, small sizes, correctness only (no timing).
describe("pnpm bench --quick (in process)", () => {
  it("runs every case and every engine that loads agrees with the reference", async () => {
    const report = await runBench(parseArgs(["--quick"]));
    expect(report.mode).toBe("quick");
    expect(report.cases.length).toBeGreaterThanOrEqual(10);
    expect(failures(report)).toEqual([]);
    for (const c of report.cases) {
      const ran = c.results.filter((r) => r.status === "ok");
      // A case must be checked by at least two engines, or agreement means nothing.
      expect(ran.length, `${c.id}: ${JSON.stringify(c.results)}`).toBeGreaterThanOrEqual(2);
      for (const r of c.results) expect(["ok", "n/a", "skipped", "error"]).toContain(r.status);
      const errors = c.results.filter((r) => r.status === "error");
      expect(errors, c.id).toEqual([]);
    }
    expect(textReport(report)).toContain("softmax/last-axis");
    expect(markdownReport(report)).toContain("| case |");
  });
});
