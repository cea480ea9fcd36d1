/** Text table for stdout and a markdown report, from the same results. */
import type { MachineInfo } from "./machine.js";
import type { CaseResult, EngineResult } from "./suite.js";
import { targetTable } from "./targets.js";

export interface EngineInfo {
  id: string;
  label: string;
  threads: number;
  available: string;
  /** Where it computed: its own child process per case (full runs) or this process. */
  process?: string;
}

export interface Report {
  machine: MachineInfo;
  mode: "full" | "quick";
  engines: EngineInfo[];
  cases: CaseResult[];
  /** Set when the run was stopped before its last case (the results are partial). */
  stopped?: string;
}

const MB = 2 ** 20;

function ms(v: number): string {
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : v.toFixed(3);
}

function flopText(f: number): string {
  if (f === 0) return "throughput case";
  return f >= 1e9 ? `${(f / 1e9).toFixed(2)} GFLOP` : `${(f / 1e6).toFixed(2)} MFLOP`;
}

/** "12.3 ms (8.1–15.0)" or the status and reason. */
function timeCell(r: EngineResult): string {
  if (r.stats === undefined) return r.status === "ok" ? "ok" : `${r.status}${r.reason ? ` (${r.reason})` : ""}`;
  const s = r.stats;
  return `${ms(s.medianMs)} (${ms(s.minMs)}–${ms(s.maxMs)})`;
}

/** GFLOP/s, or words/s for end-to-end cases. */
function rateCell(r: EngineResult): string {
  if (r.wordsPerSecond !== undefined) return r.wordsPerSecond.toFixed(0);
  return r.gflops === undefined ? "" : r.gflops.toFixed(2);
}

function ratioCell(r: EngineResult): string {
  return r.ratio === undefined ? "" : `${r.ratio.toFixed(2)}×`;
}

const mib = (b: number) => (b / MB).toFixed(0);

/** Peak RSS of the engine's process (whole life), of the first run alone (+growth), heap, buffers, wasm. */
function memCell(r: EngineResult): string {
  const m = r.stats?.memory;
  if (m === undefined) return "";
  const s = r.session;
  const peak = s === undefined ? `rss ${mib(m.rss)}` : `peak rss ${mib(s.peakRss)}`;
  const one = s?.oneRun === undefined ? "" : ` (1 run: ${mib(s.oneRun.peakRss)}, +${mib(s.oneRun.peakRss - s.oneRun.rssBefore)})`;
  const wasm = m.wasm === undefined ? "" : ` wasm ${mib(m.wasm)}`;
  return `${peak}${one} heap ${mib(m.heapUsed)} buf ${mib(m.arrayBuffers)}${wasm}`;
}

/** GC share of the timed iterations, and the CPU the engine's process used while others ran. */
function gcCell(r: EngineResult): string {
  const s = r.session;
  if (s === undefined || s.timedMs <= 0) return "";
  const idle = s.idleWallMs > 0 ? `; idle cpu ${((100 * s.idleCpuMs) / s.idleWallMs).toFixed(1)} %` : "";
  return `gc ${((100 * s.gcMs) / s.timedMs).toFixed(1)} %${idle}`;
}

/** The machine's load around a case (load average before → after; busy cores during timing). */
export function loadText(c: CaseResult): string {
  const l = c.load;
  if (l === undefined) return "load not recorded";
  const busy = l.busyCores === undefined ? "" : `; during timing ${l.busyCores.toFixed(2)} cores busy (this benchmark ${l.benchCores!.toFixed(2)}, other processes ${Math.max(0, l.busyCores - l.benchCores!).toFixed(2)})`;
  return `load average ${l.loadBefore} → ${l.loadAfter}${busy}`;
}

const SHORT = 60;

function short(s: string): string {
  return s.length > SHORT ? `${s.slice(0, SHORT - 1)}…` : s;
}

function pad(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd()).join("\n");
}

/** Machine and engines, printed before the cases. */
export function textHeader(machine: MachineInfo, mode: Report["mode"], engines: readonly EngineInfo[]): string {
  const out = [`${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}, load average ${machine.loadAverageAtStart} at start (${mode} run; ${engines[0]?.process ?? ""})`];
  for (const e of engines) out.push(`  ${e.id.padEnd(14)} ${e.threads}T  ${e.available === "loaded" ? e.label : e.available}`);
  return out.join("\n");
}

/** One case: every engine with status, median (min–max) ms, runs, GFLOP/s, ratio, memory, error. */
export function textCase(c: CaseResult): string {
  const out = [`\n${c.id} — ${c.title} — ${flopText(c.flops)} (${c.flopFormula}); reference: ${c.reference ?? "none"}`, `  ${loadText(c)}`];
  const rows = [["engine", "status", "median ms (min–max)", "runs", c.wordsPerIteration === undefined ? "GFLOP/s" : "words/s", "peer/Heed", "peak MiB", "gc / idle", "max err"]];
  for (const r of c.results) {
    rows.push([
      r.engine,
      r.status,
      r.stats ? timeCell(r) : short(r.reason ?? ""),
      r.stats ? String(r.stats.runs) : "",
      rateCell(r),
      ratioCell(r),
      memCell(r),
      gcCell(r),
      r.maxErr === undefined ? "" : r.maxErr.toExponential(1),
    ]);
  }
  out.push(pad(rows).replace(/^/gm, "  "));
  for (const r of c.results) if (r.reason && !r.reason.startsWith("cannot load") && (r.stats || r.reason.length > SHORT)) out.push(`  ${r.engine}: ${r.reason}`);
  return out.join("\n");
}

export function textReport(report: Report): string {
  return [textHeader(report.machine, report.mode, report.engines), ...report.cases.map(textCase)].join("\n");
}

function escapeMd(s: string): string {
  return s.replace(/\|/g, "\\|");
}

/** The summary table: one row per case, median ms per engine and, for peers, peer/Heed. */
export function markdownSummary(report: Report): string[] {
  const ids = report.engines.map((e) => e.id);
  const lines = [`| case | ${ids.join(" | ")} |`, `| --- | ${ids.map(() => "---:").join(" | ")} |`];
  for (const c of report.cases) {
    const cells = ids.map((id) => {
      const r = c.results.find((x) => x.engine === id);
      if (r === undefined) return "";
      if (r.stats === undefined) return r.status === "ok" ? "ok" : r.status;
      const ratio = r.ratio === undefined ? "" : ` (${r.ratio.toFixed(2)}×)`;
      return `${r.status === "ok" ? "" : `${r.status} `}${ms(r.stats.medianMs)}${ratio}`;
    });
    lines.push(`| ${c.id} | ${cells.join(" | ")} |`);
  }
  return lines;
}

/** One line: when, on what, under which load. */
export function machineLine(m: MachineInfo): string {
  const end = m.loadAverageAtEnd === undefined ? "" : `, at end ${m.loadAverageAtEnd}`;
  const malloc = m.childGlibcTunables === undefined ? "" : ` · engines' GLIBC_TUNABLES ${m.childGlibcTunables === "" ? "(glibc's defaults)" : m.childGlibcTunables}`;
  return `${m.date} · ${m.cpuModel} · ${m.cores} cores · ${m.totalMemoryGiB} GiB · ${m.platform} · Node ${m.node} · load average (1 min) at start ${m.loadAverageAtStart}${end}${malloc}`;
}

/** Markdown: machine, engines, a summary (median ms and peer/Heed ratio per case), then the details. */
export function markdownReport(report: Report): string {
  const lines = [
    "# Heed benchmark results",
    "",
    machineLine(report.machine),
    "",
    ...(report.stopped === undefined ? [] : [`**Partial run: ${report.stopped}.**`, ""]),
    "Generated by `pnpm bench` (apps/bench). Times are medians in milliseconds of one iteration; the ratio in",
    "parentheses is peer time / Heed time (above 1: Heed is faster), against the fastest single-thread Heed",
    "engine, or Heed multi-thread for multi-thread peers. Numbers taken on a shared or loaded machine are indicative:",
    "each case states the load average before and after it and how many cores were busy during its timing",
    "(this benchmark's processes and everything else on the machine).",
    "",
    "## Engines",
    "",
    "| engine | what | threads | process | status |",
    "| --- | --- | --- | --- | --- |",
    ...report.engines.map((e) => `| ${e.id} | ${escapeMd(e.label)} | ${e.threads} | ${e.process ?? ""} | ${escapeMd(e.available)} |`),
    "",
    "## Summary (median ms, peer/Heed)",
    "",
    ...markdownSummary(report),
    "",
    "## Targets (#18: training speed and memory)",
    "",
    ...targetTable(report.cases),
  ];
  lines.push("", "## Details", "");
  for (const c of report.cases) {
    lines.push(`### ${c.id}`, "", `${escapeMd(c.title)} — ${flopText(c.flops)} per iteration (${c.flopFormula}); reference engine: ${c.reference ?? "none"}; ${loadText(c)}.`, "");
    lines.push(`| engine | status | median ms (min–max) | runs | ${c.wordsPerIteration === undefined ? "GFLOP/s" : "words/s"} | peer/Heed | peak MiB | gc / idle | max err | pid | note |`, "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for (const r of c.results) {
      const note = r.reason ?? "";
      lines.push(
        `| ${r.engine} | ${r.status} | ${r.stats ? timeCell(r) : ""} | ${r.stats?.runs ?? ""} | ${rateCell(r)} | ${ratioCell(r)} | ${memCell(r)} | ${gcCell(r)} | ${r.maxErr?.toExponential(1) ?? ""} | ${r.pid ?? ""} | ${escapeMd(note)} |`,
      );
    }
    lines.push("");
  }
  return lines.join("\n");
}

export const README_START = "<!-- bench-summary:start -->";
export const README_END = "<!-- bench-summary:end -->";

/** `readme` with the text between the summary markers replaced by this run's summary (unchanged without markers). */
export function withReadmeSummary(readme: string, report: Report): string {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start) return readme;
  const stopped = report.stopped === undefined ? "" : ` **Partial: ${report.stopped}.**`;
  const body = ["", `Last default run: ${machineLine(report.machine)}.${stopped}`, "", ...markdownSummary(report), "", "Targets of the training-speed work (#18), from the same run:", "", ...targetTable(report.cases), ""].join("\n");
  return readme.slice(0, start + README_START.length) + body + readme.slice(end);
}
