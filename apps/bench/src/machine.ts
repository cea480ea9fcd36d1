/** Machine description stored with every result file (numbers only compare on the same machine). */
import os from "node:os";

export interface MachineInfo {
  cpuModel: string;
  /** Logical cores the OS reports, and what Node says it can use in parallel. */
  cores: number;
  availableParallelism: number;
  totalMemoryGiB: number;
  platform: string;
  node: string;
  v8: string;
  /** 1-minute load average when the run started: a value near or above `cores` means a busy machine. */
  loadAverageAtStart: number;
  /** 1-minute load average when the run ended (absent while it runs). */
  loadAverageAtEnd?: number;
  date: string;
  /** GLIBC_TUNABLES the engines' child processes started with (the caller's, inherited; "" for glibc's defaults; absent in-process). */
  childGlibcTunables?: string;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    cores: cpus.length,
    availableParallelism: os.availableParallelism(),
    totalMemoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    v8: process.versions.v8,
    loadAverageAtStart: Math.round(os.loadavg()[0]! * 100) / 100,
    date: new Date().toISOString(),
  };
}
