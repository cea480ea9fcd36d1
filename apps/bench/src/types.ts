import type { Tolerance } from "./compare.js";
import type { MeasureOptions } from "./measure.js";
import type { Contexts } from "./contexts.js";

export type { Contexts };

/** Which library an engine runs: a case provides one implementation per library. */
export type Library = "heed" | "tfjs" | "ort" | "jax";

/**
 * One measured configuration of a library: Heed js / wasm / wasm with N threads,
 * tfjs cpu / wasm, ONNX Runtime with 1 or N threads, jax-js on wasm.
 */
export interface Engine<L extends Library> {
  id: string;
  library: L;
  /** Human description: backend, SIMD, threads. */
  label: string;
  /** Threads the engine computes with (1 = single-thread). */
  threads: number;
  /** Loads the library; resolves to its context or rejects with the reason it cannot run. */
  load(): Promise<Contexts[L]>;
  /** Makes this engine the active one (libraries keep a global backend); called before every batch. */
  activate(ctx: Contexts[L]): Promise<void>;
  /** Frees what keeps the process alive (worker threads) at the end of the run. */
  release?(ctx: Contexts[L]): void;
}

/** What an implementation prepares (outside the timed part) for one engine. */
export interface Prepared {
  /** One timed iteration; must force the result (read data back) so lazy engines finish. */
  run(): void | Promise<void>;
  /** Outputs for the agreement check (training cases: losses of two steps from fresh state). */
  check(): Promise<Float32Array[]>;
}

/** An engine of any library, its context type tied to its library. */
export type AnyEngine = { [L in Library]: Engine<L> }[Library];

export type Impl<L extends Library, I> = (ctx: Contexts[L], inputs: I) => Prepared | Promise<Prepared>;

/**
 * One implementation per library; `ctx` is what that library's `Engine.load` returned.
 * Method syntax on purpose: it lets a `BenchCase<MatmulInputs>` be listed as a `BenchCase<unknown>`
 * (the suite only ever passes a case its own `inputs()`).
 */
export interface Impls<I> {
  heed?(ctx: Contexts["heed"], inputs: I): ReturnType<Impl<"heed", I>>;
  tfjs?(ctx: Contexts["tfjs"], inputs: I): ReturnType<Impl<"tfjs", I>>;
  ort?(ctx: Contexts["ort"], inputs: I): ReturnType<Impl<"ort", I>>;
  jax?(ctx: Contexts["jax"], inputs: I): ReturnType<Impl<"jax", I>>;
}

export interface BenchCase<I = unknown> {
  /** Stable id, e.g. `matmul/square-512`. */
  id: string;
  /** Op family (one file in src/cases per family). */
  family: string;
  /** Short description with the sizes. */
  title: string;
  /** Floating point operations of one iteration, and the formula that gives it. */
  flops: number;
  flopFormula: string;
  /** End-to-end cases: examples (words) per iteration, reported as a throughput. */
  wordsPerIteration?: number;
  tolerance: Tolerance;
  /** Only run with --long. */
  long?: boolean;
  /** Builds the seeded inputs (shared by every engine). */
  inputs(): I;
  /** Per library; a missing library prints "n/a". */
  impls: Impls<I>;
  /** Overrides of the measurement settings (e.g. fewer warm-up runs for very long cases). */
  measure?: Partial<MeasureOptions>;
  /** Engines skipped on purpose, with the reason (e.g. too slow at this size). */
  skip?: Partial<Record<string, string>>;
}
