/**
 * The machine's load around a case: the 1-minute load average before and after it and, on
 * Linux, how many cores were busy during its timing (/proc/stat) — split into the benchmark's
 * own processes (their CPU time) and everything else on the machine.
 */
import { readFileSync } from "node:fs";
import os from "node:os";

export interface CaseLoad {
  /** 1-minute load average before the case's engines start and after they finish. */
  loadBefore: number;
  loadAfter: number;
  /** Average busy cores during timing (all processes), and the benchmark's share of them. */
  busyCores?: number;
  benchCores?: number;
}

/** Busy and total CPU time of the whole machine in ms (Linux), or undefined. */
export function cpuTimes(): { busy: number; wall: number } | undefined {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n")[0]!;
    // cpu user nice system idle iowait irq softirq steal …, in USER_HZ (1/100 s on Linux)
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (v[3] ?? 0) + (v[4] ?? 0);
    const busy = v.slice(0, 8).reduce((a, b) => a + b, 0) - idle;
    return { busy: busy * 10, wall: performance.now() };
  } catch {
    return undefined;
  }
}

export function loadAverage(): number {
  return round2(os.loadavg()[0]!);
}

export function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Busy cores between two snapshots, and the part the benchmark used (`benchCpuMs` over the same window). */
export function busyBetween(a: ReturnType<typeof cpuTimes>, b: ReturnType<typeof cpuTimes>, benchCpuMs: number): Pick<CaseLoad, "busyCores" | "benchCores"> {
  if (a === undefined || b === undefined || b.wall - a.wall < 50) return {};
  const wall = b.wall - a.wall;
  return { busyCores: round2((b.busy - a.busy) / wall), benchCores: round2(benchCpuMs / wall) };
}
