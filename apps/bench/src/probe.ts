/**
 * Peak memory of one run, measured in a fresh process: the parent's RSS only grows over a
 * whole benchmark, and ONNX Runtime's native buffers never show in V8's numbers. The child
 * (`index.js --probe=<case>@<engine>`) loads one engine, prepares the case at full size, and
 * reports its RSS just before one run and its peak RSS during that run.
 *
 * Peak RSS on Linux: /proc/self/status VmHWM, reset just before the run by writing 5 to
 * /proc/self/clear_refs. getrusage's maxRSS is not used there: a spawned child inherits the
 * parent's high-water mark through fork, which hides the child's own peak.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { allCases } from "./cases/index.js";
import { allEngines } from "./engines.js";
import { errorText } from "./measure.js";
import { loadEngines } from "./suite.js";
import type { RunMemory } from "./types.js";

export type { RunMemory };

/** Resets the kernel's peak-RSS counter to the current RSS (Linux); false where unsupported. */
function resetPeakRss(): boolean {
  try {
    writeFileSync("/proc/self/clear_refs", "5");
    return true;
  } catch {
    return false;
  }
}

/** VmHWM (Linux), else getrusage's maxRSS. */
function peakRssBytes(): number {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"))?.[1];
    if (kb !== undefined) return Number(kb) * 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS * 1024;
}

/** Child side: prints nothing itself; returns the measurement. */
export async function runProbe(spec: string, cores: number): Promise<RunMemory> {
  const [caseId, engineId] = spec.split("@") as [string, string | undefined];
  const c = allCases(false).find((x) => x.id === caseId);
  const engine = allEngines(cores).find((e) => e.id === engineId);
  if (c === undefined || engine === undefined) throw new Error(`probe: unknown case or engine in '${spec}' (expected <case id>@<engine id>)`);
  const [l] = await loadEngines([engine]);
  if (l!.loadError !== undefined) throw new Error(`probe: ${engineId} cannot load: ${l!.loadError}`);
  await l!.activate();
  const p = await l!.implement(c, c.inputs());
  if (p === undefined) throw new Error(`probe: no ${engine.library} implementation of ${caseId}`);
  resetPeakRss();
  const rssBeforeRun = process.memoryUsage().rss;
  await p.run();
  const peakRss = peakRssBytes();
  l!.release();
  return { rssBeforeRun, peakRss };
}

/** Parent side: runs the probe in a child process; a string is the reason it failed. */
export function probeMemory(script: string, caseId: string, engineId: string): RunMemory | string {
  const child = spawnSync(process.execPath, [script, `--probe=${caseId}@${engineId}`], { encoding: "utf8", timeout: 15 * 60_000 });
  if (child.error) return `probe failed: ${errorText(child.error)}`;
  const line = child.stdout.trim().split("\n").pop() ?? "";
  try {
    const parsed = JSON.parse(line) as Partial<RunMemory>;
    if (typeof parsed.rssBeforeRun === "number" && typeof parsed.peakRss === "number") return { rssBeforeRun: parsed.rssBeforeRun, peakRss: parsed.peakRss };
  } catch {
    // fall through to the error text
  }
  return `probe failed (exit ${child.status ?? child.signal}): ${(child.stderr.trim().split("\n").pop() ?? "").slice(0, 200)}`;
}
