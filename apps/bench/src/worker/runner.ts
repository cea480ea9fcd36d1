/**
 * Runs one prepared case on one engine, in the process that prepared it: timed iterations,
 * memory sampled after each one, garbage-collection time inside the timed windows, and the
 * CPU the process used between its turns (while other engines ran). The child process of
 * each engine (child.ts) and the in-process session (session.ts) both use it.
 */
import { PerformanceObserver } from "node:perf_hooks";
import type { Prepared } from "../types.js";
import { peakRssBytes, resetPeakRss } from "./peak-rss.js";

/** Peaks observed after iterations, in bytes; `wasm` when the process holds WebAssembly memories. */
export interface MemoryPeak {
  rss: number;
  heapUsed: number;
  /** ArrayBuffers outside the V8 heap (typed-array storage; shared wasm memories). */
  arrayBuffers: number;
  /** Sum of the live WebAssembly.Memory sizes (every engine's wasm heap; it never shrinks). */
  wasm: number | undefined;
}

/** Everything a session measured, reported when it finishes. */
export interface SessionEnd {
  pid: number;
  memory: MemoryPeak;
  /** Peak RSS of the whole process life (load, prepare, check, timing); Linux VmHWM. */
  peakRss: number;
  /** The first run after preparing, alone: RSS before it and peak RSS during it (Linux only). */
  oneRun?: { rssBefore: number; peakRss: number };
  /** CPU time (all threads) from the first run to the end, and the part spent between turns. */
  cpuMs: number;
  idleCpuMs: number;
  idleWallMs: number;
  /** Garbage-collection time inside the timed iterations, and the timed wall time. */
  gcMs: number;
  timedMs: number;
}

const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;

export class Runner {
  readonly #prepared: Prepared;
  readonly #wasm: () => number | undefined;
  readonly #peak: MemoryPeak = { rss: 0, heapUsed: 0, arrayBuffers: 0, wasm: undefined };
  readonly #windows: [number, number][] = [];
  readonly #gc: { start: number; duration: number }[] = [];
  readonly #observer: PerformanceObserver;
  #peakBeforeRuns = 0;
  #oneRun: SessionEnd["oneRun"];
  #cpuStart: NodeJS.CpuUsage | undefined;
  #lastEnd: { cpu: NodeJS.CpuUsage; wall: number } | undefined;
  #idleCpuMs = 0;
  #idleWallMs = 0;

  /** `wasmBytes`: the process's WebAssembly memory (wasm-memory.ts, installed before any engine loads). */
  constructor(prepared: Prepared, wasmBytes: () => number | undefined) {
    this.#prepared = prepared;
    this.#wasm = wasmBytes;
    this.#observer = new PerformanceObserver((list) => this.#record(list.getEntries()));
    this.#observer.observe({ entryTypes: ["gc"] });
  }

  #record(entries: readonly { startTime: number; duration: number }[]): void {
    for (const e of entries) this.#gc.push({ start: e.startTime, duration: e.duration });
  }

  #sample(): void {
    const m = process.memoryUsage();
    const p = this.#peak;
    p.rss = Math.max(p.rss, m.rss);
    p.heapUsed = Math.max(p.heapUsed, m.heapUsed);
    p.arrayBuffers = Math.max(p.arrayBuffers, m.arrayBuffers);
    const wasm = this.#wasm();
    if (wasm !== undefined) p.wasm = Math.max(p.wasm ?? 0, wasm);
  }

  /** Runs `n` iterations; returns each one's milliseconds. `timed` ones count for the GC share. */
  async run(n: number, timed: boolean): Promise<number[]> {
    const now = performance.now();
    if (this.#lastEnd === undefined) {
      // first run after preparing: measure it alone (peak RSS reset just before it)
      this.#sample();
      this.#peakBeforeRuns = peakRssBytes();
      this.#cpuStart = process.cpuUsage();
      const rssBefore = process.memoryUsage().rss;
      const canReset = resetPeakRss();
      const t0 = performance.now();
      await this.#prepared.run();
      const first = performance.now() - t0;
      if (canReset) this.#oneRun = { rssBefore, peakRss: peakRssBytes() };
      this.#sample();
      return [first, ...(await this.#runMany(n - 1, timed))];
    }
    this.#idleCpuMs += cpuMs(process.cpuUsage(this.#lastEnd.cpu));
    this.#idleWallMs += now - this.#lastEnd.wall;
    return this.#runMany(n, timed);
  }

  async #runMany(n: number, timed: boolean): Promise<number[]> {
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      await this.#prepared.run();
      const t1 = performance.now();
      times.push(t1 - t0);
      if (timed) this.#windows.push([t0, t1]);
      this.#sample();
    }
    this.#lastEnd = { cpu: process.cpuUsage(), wall: performance.now() };
    return times;
  }

  /** Stops observing and reports; call once, after the last run. */
  async finish(): Promise<SessionEnd> {
    const cpu = this.#cpuStart === undefined ? 0 : cpuMs(process.cpuUsage(this.#cpuStart));
    await new Promise((resolve) => setImmediate(resolve)); // let queued GC entries arrive
    this.#record(this.#observer.takeRecords());
    this.#observer.disconnect();
    const inWindow = (t: number) => this.#windows.some(([a, b]) => t >= a && t <= b);
    const gcMs = this.#gc.filter((g) => inWindow(g.start)).reduce((s, g) => s + g.duration, 0);
    const timedMs = this.#windows.reduce((s, [a, b]) => s + (b - a), 0);
    return {
      pid: process.pid,
      memory: { ...this.#peak },
      peakRss: Math.max(this.#peakBeforeRuns, peakRssBytes()),
      ...(this.#oneRun === undefined ? {} : { oneRun: this.#oneRun }),
      cpuMs: cpu,
      idleCpuMs: this.#idleCpuMs,
      idleWallMs: this.#idleWallMs,
      gcMs,
      timedMs,
    };
  }
}
