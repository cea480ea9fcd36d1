/**
 * Parent side of the per-engine child processes: `childOpener` forks `<script> --worker=…`
 * for every (case, engine) and talks to it over Node's IPC channel (advanced serialization,
 * so Float32Arrays cross as they are). Only one child computes at a time — the others wait
 * for a message, idle — and each child reports the CPU it used while waiting.
 */
import { fork, type ChildProcess } from "node:child_process";
import type { AnyEngine } from "../types.js";
import type { FromChild, ToChild, WorkerSpec } from "./protocol.js";
import { workerArg } from "./protocol.js";
import { OpenFailure, type Opener, type Session, type SessionEnd } from "./session.js";

export interface ChildOptions {
  /** The program that serves `--worker` (apps/bench/dist/index.js, or src/index.ts under a loader). */
  script: string;
  /** Node flags for the children (e.g. a TypeScript loader in tests); default none. */
  execArgv?: string[];
  quick: boolean;
}

/**
 * glibc malloc settings that keep freed memory in the heap (no trimming; blocks up to 32 MB come
 * from it), so an op's fresh output array reuses pages a collected one freed. The bench does NOT
 * set them: children inherit the caller's environment, so by default every engine runs as a
 * user's program does (with glibc's defaults some processes page-fault fresh outputs in on every
 * call — ~12 µs per 4 KB page on the 2-core reference VM — and others never do). Run
 * `GLIBC_TUNABLES=<this> pnpm bench` to measure with them; the results' machine line says which.
 */
export const KEEP_HEAP_GLIBC_TUNABLES = "glibc.malloc.trim_threshold=1073741824:glibc.malloc.mmap_threshold=33554432";

/** The glibc settings the children start with: the caller's GLIBC_TUNABLES, or "" for glibc's defaults. */
export function childGlibcTunables(env: NodeJS.ProcessEnv = process.env): string {
  return env.GLIBC_TUNABLES ?? "";
}

/** One forked child with a request/reply helper; rejects when it exits before replying. */
class Child {
  readonly #proc: ChildProcess;
  #stderr = "";
  #waiting: { resolve: (m: FromChild) => void; reject: (e: Error) => void } | undefined;
  #exited: string | undefined;

  constructor(opts: ChildOptions, spec: WorkerSpec) {
    this.#proc = fork(opts.script, [workerArg(spec)], { execArgv: opts.execArgv ?? [], serialization: "advanced", stdio: ["ignore", "ignore", "pipe", "ipc"] });
    this.#proc.stderr!.on("data", (d: Buffer) => {
      this.#stderr = (this.#stderr + d.toString()).slice(-4000);
    });
    this.#proc.on("message", (m: FromChild) => {
      const w = this.#waiting;
      this.#waiting = undefined;
      w?.resolve(m);
    });
    this.#proc.on("exit", (code, signal) => {
      const lines = this.#stderr.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("Node.js v"));
      const last = lines.findLast((l) => /^\w*Error\b/.test(l)) ?? lines.pop() ?? "";
      this.#exited = `child for ${spec.caseId || "loading"}@${spec.engineId} exited (${signal ?? code})${last ? `: ${last.slice(0, 200)}` : ""}`;
      this.#waiting?.reject(new Error(this.#exited));
      this.#waiting = undefined;
    });
  }

  get pid(): number {
    return this.#proc.pid ?? -1;
  }

  /** The child's next message (after sending `msg`, if given). */
  next(msg?: ToChild): Promise<FromChild> {
    if (this.#exited !== undefined) return Promise.reject(new Error(this.#exited));
    return new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject };
      if (msg !== undefined) this.#proc.send(msg);
    });
  }

  kill(): void {
    if (this.#exited === undefined) this.#proc.kill();
  }
}

function unexpected(m: FromChild): Error {
  return new Error(`bench: unexpected message from a child: ${m.type}`);
}

/** Opens each session in a fresh child process. */
export function childOpener(opts: ChildOptions): Opener {
  return async (c, engine): Promise<Session> => {
    const child = new Child(opts, { caseId: c.id, engineId: engine.id, quick: opts.quick });
    let first: FromChild;
    try {
      first = await child.next();
    } catch (err) {
      throw new OpenFailure("error", err instanceof Error ? err.message : String(err));
    }
    if (first.type === "failed") {
      await child.next().catch(() => undefined); // the child exits after reporting
      throw new OpenFailure(first.status, first.reason);
    }
    if (first.type !== "ready") throw unexpected(first);
    return {
      pid: first.pid,
      outputs: first.outputs,
      async run(n, timed) {
        const m = await child.next({ type: "run", n, timed });
        if (m.type === "ran") return m.times;
        if (m.type === "run-error") throw new Error(m.reason);
        throw unexpected(m);
      },
      async finish(): Promise<SessionEnd> {
        const m = await child.next({ type: "finish" });
        if (m.type !== "done") throw unexpected(m);
        return m.end;
      },
      abort: () => child.kill(),
    };
  };
}

/** Loads each engine once in its own child: whether it loads, and its label (SIMD, threads, attention path). */
export async function describeEngines(opts: ChildOptions, engines: readonly AnyEngine[]): Promise<{ id: string; label: string; loadError?: string }[]> {
  const out: { id: string; label: string; loadError?: string }[] = [];
  for (const engine of engines) {
    const child = new Child(opts, { caseId: "", engineId: engine.id, quick: opts.quick });
    try {
      const m = await child.next();
      if (m.type === "ready") out.push({ id: engine.id, label: m.label });
      else if (m.type === "failed") out.push({ id: engine.id, label: m.label, loadError: m.reason.replace(/^cannot load: /, "") });
      else throw unexpected(m);
    } catch (err) {
      out.push({ id: engine.id, label: engine.label, loadError: err instanceof Error ? err.message : String(err) });
    } finally {
      child.kill();
    }
  }
  return out;
}
