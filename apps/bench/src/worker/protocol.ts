/** Messages between the parent (parent.ts) and an engine's child process (child.ts), over Node's IPC channel. */
import type { SessionEnd } from "./runner.js";

/** What the child is asked to open: one case (by id) on one engine (by id). */
export interface WorkerSpec {
  caseId: string;
  engineId: string;
  quick: boolean;
}

export type ToChild = { type: "run"; n: number; timed: boolean } | { type: "finish" };

export type FromChild =
  | { type: "ready"; pid: number; label: string; outputs: Float32Array[] }
  | { type: "failed"; status: "n/a" | "error"; reason: string; label: string }
  | { type: "ran"; times: number[] }
  | { type: "run-error"; reason: string }
  | { type: "done"; end: SessionEnd };

/** `--worker=<case>@<engine>` (quick sizes: `--worker=<case>@<engine>@quick`); an empty case only loads the engine. */
export function workerArg(spec: WorkerSpec): string {
  return `--worker=${spec.caseId}@${spec.engineId}${spec.quick ? "@quick" : ""}`;
}

export function parseWorkerArg(value: string): WorkerSpec {
  const [caseId, engineId, mode] = value.split("@");
  if (caseId === undefined || engineId === undefined || engineId === "" || (mode !== undefined && mode !== "quick")) {
    throw new Error(`bench: --worker needs <case id>@<engine id>[@quick], got '${value}'`);
  }
  return { caseId, engineId, quick: mode === "quick" };
}
