/**
 * The speed and memory targets of the training-speed issue (#18), read from a run: each row
 * names the case and engine it comes from, the number before the work started, the target,
 * and what this run measured. Rows whose case did not run say so instead of a number.
 */
import type { CaseResult, EngineResult } from "./suite.js";

export interface Target {
  workload: string;
  caseId: string;
  /** Heed engine: `1` = heed-wasm, `2` = the multi-thread wasm engine (2 threads on a 2-core machine). */
  threads: 1 | 2;
  /** What is read: words/s (higher is better), median ms or the GC share in % (lower is better). */
  metric: "words/s" | "ms" | "gc %";
  before: string;
  target: number;
}

export const TARGETS: readonly Target[] = [
  { workload: "g2p recipe training, words/s (2 threads)", caseId: "e2e/g2p-train", threads: 2, metric: "words/s", before: "390–410", target: 630 },
  { workload: "g2p recipe training, words/s (1 thread)", caseId: "e2e/g2p-train", threads: 1, metric: "words/s", before: "390–400", target: 450 },
  { workload: "MHSA train step d128 H4 L64 B16 + Adam (2 threads)", caseId: "train/mha-residual", threads: 2, metric: "ms", before: "11.7 ms", target: 7 },
  { workload: "attention fwd (1,8,1024,64), 2 threads", caseId: "sdpa/fwd-1x8x1024x64", threads: 2, metric: "ms", before: "26.4 ms", target: 21 },
  { workload: "attention fwd (4,8,256,64), 2 threads", caseId: "sdpa/fwd-4x8x256x64", threads: 2, metric: "ms", before: "7.3 ms", target: 6 },
  { workload: "greedy decoding of the 6,247 g2p test words (trained default model, 1 thread)", caseId: "e2e/g2p-decode-trained", threads: 1, metric: "ms", before: "~9 s", target: 3000 },
  { workload: "GC share of a g2p training step (1 thread)", caseId: "e2e/g2p-train", threads: 1, metric: "gc %", before: "~15 %", target: 3 },
];

function engineResult(c: CaseResult, threads: 1 | 2): EngineResult | undefined {
  return c.results.find((r) => (threads === 1 ? r.engine === "heed-wasm" : /^heed-wasm-\d+t$/.test(r.engine)));
}

/** This run's value for a target, or undefined when its case or engine did not produce one. */
export function measured(cases: readonly CaseResult[], t: Target): number | undefined {
  const c = cases.find((x) => x.id === t.caseId);
  const r = c === undefined ? undefined : engineResult(c, t.threads);
  if (r?.stats === undefined || r.status !== "ok") return undefined;
  if (t.metric === "words/s") return r.wordsPerSecond;
  if (t.metric === "ms") return r.stats.medianMs;
  const s = r.session;
  return s === undefined || s.timedMs <= 0 ? undefined : (100 * s.gcMs) / s.timedMs;
}

function show(t: Target, v: number): string {
  if (t.metric === "words/s") return `${v.toFixed(0)} words/s`;
  if (t.metric === "gc %") return `${v.toFixed(1)} %`;
  return v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(1)} ms`;
}

/** Markdown table: workload, before, target, this run, reached. */
export function targetTable(cases: readonly CaseResult[]): string[] {
  const lines = ["| workload | before (#18) | target | this run | reached |", "| --- | --- | --- | --- | --- |"];
  for (const t of TARGETS) {
    const v = measured(cases, t);
    const goal = `${t.metric === "words/s" ? "≥" : "≤"} ${show(t, t.target)}`;
    const ran = cases.some((c) => c.id === t.caseId);
    const now = v === undefined ? (ran ? "no result" : "not run") : show(t, v);
    const ok = v === undefined ? "—" : (t.metric === "words/s" ? v >= t.target : v <= t.target) ? "yes" : "no";
    lines.push(`| ${t.workload} | ${t.before} | ${goal} | ${now} | ${ok} |`);
  }
  return lines;
}
