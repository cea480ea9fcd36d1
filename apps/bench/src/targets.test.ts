import { describe, expect, it } from "vitest";
import type { CaseResult, EngineResult } from "./suite.js";
import { measured, TARGETS, targetTable } from "./targets.js";

const memory = { rss: 0, heapUsed: 0, arrayBuffers: 0, wasm: undefined };
const session = { peakRss: 1, cpuMs: 0, idleCpuMs: 0, idleWallMs: 0, gcMs: 50, timedMs: 1000 };

function result(engine: string, medianMs: number, extra: Partial<EngineResult> = {}): EngineResult {
  return { engine, status: "ok", stats: { runs: 3, medianMs, minMs: medianMs, maxMs: medianMs, totalMs: 3 * medianMs, memory }, session, ...extra };
}

function caseResult(id: string, results: EngineResult[]): CaseResult {
  return { id, family: "x", title: "t", flops: 0, flopFormula: "", reference: null, results };
}

describe("targetTable", () => {
  const cases = [
    caseResult("e2e/g2p-train", [result("heed-wasm", 256, { wordsPerSecond: 500 }), result("heed-wasm-2t", 200, { wordsPerSecond: 640 })]),
    caseResult("sdpa/fwd-4x8x256x64", [result("heed-wasm", 9), result("heed-wasm-2t", 6.5)]),
    caseResult("train/mha-residual", [result("heed-wasm-2t", 1, { status: "FAIL" })]),
  ];

  it("reads each target from its case and Heed engine (1 thread = heed-wasm, 2 = the multi-thread engine)", () => {
    const byName = (w: string) => TARGETS.find((t) => t.workload.startsWith(w))!;
    expect(measured(cases, byName("g2p recipe training, words/s (2 threads)"))).toBe(640);
    expect(measured(cases, byName("g2p recipe training, words/s (1 thread)"))).toBe(500);
    expect(measured(cases, byName("attention fwd (4,8,256,64)"))).toBe(6.5);
    expect(measured(cases, byName("GC share"))).toBe(5);
    // a failing engine gives no number
    expect(measured(cases, byName("MHSA train step"))).toBeUndefined();
  });

  it("says which targets are reached, and which cases did not run or gave no result", () => {
    const table = targetTable(cases).join("\n");
    expect(table).toContain("| g2p recipe training, words/s (2 threads) | 390–410 | ≥ 630 words/s | 640 words/s | yes |");
    expect(table).toContain("| g2p recipe training, words/s (1 thread) | 390–400 | ≥ 450 words/s | 500 words/s | yes |");
    expect(table).toContain("| attention fwd (4,8,256,64), 2 threads | 7.3 ms | ≤ 6.0 ms | 6.5 ms | no |");
    expect(table).toContain("| MHSA train step d128 H4 L64 B16 + Adam (2 threads) | 11.7 ms | ≤ 7.0 ms | no result | — |");
    expect(table).toContain("| attention fwd (1,8,1024,64), 2 threads | 26.4 ms | ≤ 21.0 ms | not run | — |");
    expect(table).toContain("| GC share of a g2p training step (1 thread) | ~15 % | ≤ 3.0 % | 5.0 % | no |");
  });
});
