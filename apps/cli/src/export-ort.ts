/**
 * `heed predict --engine ort`: loading onnxruntime-node (an optional dependency, loaded only
 * here), the session options and reading an exported directory. The encoder–decoder tasks
 * decode in export-ort-seq2seq.ts, the others run their task's hook in export-ort-graph.ts.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { RuntimeError, UsageError } from "./errors.js";
import { SIDECAR, type Sidecar } from "./export.js";

export type Ort = typeof import("onnxruntime-node");
export type Session = Awaited<ReturnType<Ort["InferenceSession"]["create"]>>;
export type OrtTensor = InstanceType<Ort["Tensor"]>;

export const ORT_INSTALL = "--engine ort needs onnxruntime-node, an optional dependency that is not installed: run `npm install onnxruntime-node@1.30.0` (or `pnpm add onnxruntime-node@1.30.0`) where heed is installed";

export async function loadOrt(): Promise<Ort> {
  try {
    return await import("onnxruntime-node");
  } catch {
    throw new UsageError(ORT_INSTALL);
  }
}

/** Session options of every `--engine ort` session: `threads` intra-op threads, all graph optimisations. */
export function sessionOptions(threads: number): { intraOpNumThreads: number; interOpNumThreads: number; graphOptimizationLevel: "all" } {
  return { intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: "all" };
}

/** An exported directory (with heed-onnx.json), or null when `path` is not one. */
export function readExport(path: string): { sidecar: Sidecar; files: Record<string, Uint8Array> } | null {
  const file = join(path, SIDECAR);
  if (!existsSync(file)) return null;
  const sidecar = JSON.parse(readFileSync(file, "utf8")) as Sidecar;
  if (sidecar.format !== 1) throw new RuntimeError(`${file}: format ${String(sidecar.format)} is not 1; export the checkpoint again with this heed`);
  const files = Object.fromEntries(Object.values(sidecar.graphs).map((g) => [g.file, new Uint8Array(readFileSync(join(path, g.file)))]));
  return { sidecar, files };
}
