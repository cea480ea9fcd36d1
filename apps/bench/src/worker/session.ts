/**
 * A session is one engine prepared for one case, ready to run timed iterations. Full runs open
 * every session in its own child process (parent.ts), so engines never share a heap, a
 * garbage collector, a thread pool or a wasm runtime; `inProcessOpener` keeps everything in
 * this process (the in-process quick test, which only checks agreement).
 */
import { MissingApi } from "../heed/api.js";
import { errorText } from "../measure.js";
import type { AnyEngine, BenchCase, Contexts, Engine, Impl, Library, Prepared } from "../types.js";
import { Runner, type SessionEnd } from "./runner.js";
import { trackWasmMemories } from "./wasm-memory.js";

export type { SessionEnd };

export interface Session {
  /** The process that computes (the child's pid, or this process's in-process). */
  readonly pid: number;
  /** Outputs of `Prepared.check` for the agreement check. */
  readonly outputs: Float32Array[];
  /** Runs `n` iterations, returns each one's milliseconds (measured where they run). */
  run(n: number, timed: boolean): Promise<number[]>;
  /** Ends the session (the child exits) and returns its measurements. */
  finish(): Promise<SessionEnd>;
  /** Ends the session without a report (after an error). */
  abort(): void;
}

/** Why a session could not open: `n/a` (missing API, engine cannot load) or `error`. */
export class OpenFailure extends Error {
  constructor(
    readonly status: "n/a" | "error",
    reason: string,
  ) {
    super(reason);
  }
}

export type Opener = (c: BenchCase<unknown>, engine: AnyEngine) => Promise<Session>;

/** An engine with its library loaded: closures over its context, so callers need no casts. */
export interface LoadedEngine {
  engine: AnyEngine;
  loadError?: string;
  activate(): Promise<void>;
  release(): void;
  /** The case's implementation for this library, or undefined when the case has none. */
  implement<I>(c: BenchCase<I>, inputs: I): Promise<Prepared> | undefined;
}

export async function loadEngine<L extends Library>(engine: Engine<L>): Promise<LoadedEngine> {
  const any = engine as AnyEngine;
  let ctx: Contexts[L];
  try {
    ctx = await engine.load();
  } catch (err) {
    const loadError = errorText(err);
    const fail = () => Promise.reject(new Error(loadError));
    return { engine: any, loadError, activate: fail, release: () => {}, implement: () => undefined };
  }
  return {
    engine: any,
    activate: () => engine.activate(ctx),
    release: () => engine.release?.(ctx),
    implement<I>(c: BenchCase<I>, inputs: I) {
      const impl = c.impls[engine.library] as Impl<L, I> | undefined;
      return impl === undefined ? undefined : Promise.resolve(impl.call(c.impls, ctx, inputs));
    },
  };
}

/** Activates `l`, prepares `c` and checks it: the outputs, or an OpenFailure with the reason. */
export async function prepareCase(l: LoadedEngine, c: BenchCase<unknown>): Promise<{ prepared: Prepared; outputs: Float32Array[] }> {
  if (l.loadError !== undefined) throw new OpenFailure("n/a", `cannot load: ${l.loadError}`);
  try {
    await l.activate();
    const prepared = await l.implement(c, c.inputs());
    if (prepared === undefined) throw new OpenFailure("n/a", `no ${l.engine.library} implementation of this case`);
    return { prepared, outputs: await prepared.check() };
  } catch (err) {
    if (err instanceof OpenFailure) throw err;
    throw err instanceof MissingApi ? new OpenFailure("n/a", err.message) : new OpenFailure("error", errorText(err));
  }
}

/** Sessions in this process; engines load once and stay loaded (`release` ends them). */
export function inProcessOpener(): { open: Opener; load: (engine: AnyEngine) => Promise<LoadedEngine>; release: () => void } {
  const wasmBytes = trackWasmMemories();
  const loaded = new Map<string, Promise<LoadedEngine>>();
  const load = (engine: AnyEngine): Promise<LoadedEngine> => {
    if (!loaded.has(engine.id)) loaded.set(engine.id, loadEngine(engine));
    return loaded.get(engine.id)!;
  };
  const open: Opener = async (c, engine) => {
    const l = await load(engine);
    const { prepared, outputs } = await prepareCase(l, c);
    const runner = new Runner(prepared, wasmBytes);
    return {
      pid: process.pid,
      outputs,
      run: async (n, timed) => {
        await l.activate(); // libraries keep a global backend: make this engine's the active one
        return runner.run(n, timed);
      },
      finish: () => runner.finish(),
      abort: () => void runner.finish(),
    };
  };
  return {
    open,
    load,
    release: () => {
      for (const p of loaded.values()) void p.then((l) => l.release());
    },
  };
}
