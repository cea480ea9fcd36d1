/**
 * Peak RSS of this process. Linux: /proc/self/status VmHWM, which writing 5 to
 * /proc/self/clear_refs resets to the current RSS. Elsewhere getrusage's maxRSS (which a
 * forked child inherits from its parent, so it can hide a smaller child's own peak).
 */
import { readFileSync, writeFileSync } from "node:fs";

/** Resets the kernel's peak-RSS counter to the current RSS; false where unsupported. */
export function resetPeakRss(): boolean {
  try {
    writeFileSync("/proc/self/clear_refs", "5");
    return true;
  } catch {
    return false;
  }
}

/** VmHWM (Linux), else getrusage's maxRSS, in bytes. */
export function peakRssBytes(): number {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"))?.[1];
    if (kb !== undefined) return Number(kb) * 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS * 1024;
}
