import { describe, expect, it } from "vitest";
import { README_END, README_START, withReadmeSummary, type Report } from "./report.js";

const report: Report = {
  machine: { cpuModel: "CPU X", cores: 2, availableParallelism: 2, totalMemoryGiB: 4, platform: "Linux", node: "v20", v8: "11", loadAverageAtStart: 0.5, date: "2026-01-01" },
  mode: "full",
  engines: [
    { id: "heed-wasm", label: "Heed", threads: 1, available: "loaded" },
    { id: "ort", label: "ORT", threads: 1, available: "loaded" },
  ],
  cases: [
    {
      id: "matmul/square-8",
      family: "matmul",
      title: "t",
      flops: 1024,
      flopFormula: "2·N³",
      reference: "heed-wasm",
      results: [
        { engine: "heed-wasm", status: "ok", stats: { runs: 5, medianMs: 2, minMs: 1, maxMs: 3, totalMs: 10, memory: { rss: 0, heapUsed: 0, arrayBuffers: 0, wasm: undefined } } },
        { engine: "ort", status: "n/a", reason: "no ort implementation of this case" },
      ],
    },
  ],
};

describe("withReadmeSummary", () => {
  it("replaces only the text between the markers with the summary table", () => {
    const readme = `# Title\n${README_START}\nold table\n${README_END}\nrest\n`;
    const out = withReadmeSummary(readme, report);
    expect(out.startsWith(`# Title\n${README_START}\n`)).toBe(true);
    expect(out).not.toContain("old table");
    expect(out).toContain("| matmul/square-8 | 2.00 | n/a |");
    expect(out).toContain("CPU X");
    expect(out.endsWith(`${README_END}\nrest\n`)).toBe(true);
  });

  it("leaves a README without markers unchanged", () => {
    expect(withReadmeSummary("# no markers\n", report)).toBe("# no markers\n");
  });
});
