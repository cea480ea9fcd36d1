/** The `heed export` command and the `--engine ort` path of `heed predict`. */
import { join } from "node:path";
import { restore } from "./restore.js";
import { exportCheckpoint, writeExport, type Sidecar } from "./export.js";
import { loadOrt, OrtSeq2Seq, readExport } from "./export-ort.js";

type Opts = Record<string, unknown>;

export function runExport(path: string, opts: Opts): void {
  const { rt, config, ckpt } = restore(path);
  const { sidecar, files } = exportCheckpoint(rt, config, ckpt);
  const out = typeof opts.out === "string" ? opts.out : join(path, "onnx");
  writeExport(out, sidecar, files);
  process.stdout.write(`wrote ${Object.keys(files).join(", ")} and heed-onnx.json to ${out}\n`);
}

/** An exported directory as it is, or a checkpoint exported in memory. */
function exported(path: string): { sidecar: Sidecar; files: Record<string, Uint8Array> } {
  const dir = readExport(path);
  if (dir !== null) return dir;
  const { rt, config, ckpt } = restore(path);
  return exportCheckpoint(rt, config, ckpt);
}

/** `heed predict --engine ort` for an exported directory or a checkpoint, sessions created once. */
export async function ortPredictor(path: string, threads = 1): Promise<(inputs: readonly string[]) => Promise<string[]>> {
  const ort = await loadOrt();
  const { sidecar, files } = exported(path);
  const model = await OrtSeq2Seq.create(ort, sidecar, files, threads);
  return (inputs) => model.predict(inputs);
}


