/** The `heed export` command and the `--engine ort` path of `heed predict`. */
import { join } from "node:path";
import { UsageError } from "./errors.js";
import { checkOutDir } from "./outdir.js";
import { checkBeam, restore } from "./restore.js";
import { exportCheckpoint, writeExport, type Sidecar } from "./export.js";
import { loadOrt, readExport } from "./export-ort.js";
import { OrtSeq2Seq } from "./export-ort-seq2seq.js";
import { ortGraphPredictor } from "./export-ort-graph.js";

type Opts = Record<string, unknown>;

export function runExport(path: string, opts: Opts): void {
  const attention = typeof opts.attention === "string" ? opts.attention : "composed";
  if (attention !== "composed" && attention !== "ort-mha" && attention !== "onnx-attention") {
    throw new UsageError(`export: --attention must be composed, ort-mha or onnx-attention, got '${attention}'`);
  }
  const out = typeof opts.out === "string" ? opts.out : join(path, "onnx");
  const { rt, config, ckpt } = restore(path);
  checkOutDir(out, 0, "the ONNX export");
  const { sidecar, files } = exportCheckpoint(rt, config, ckpt.vocab, attention);
  writeExport(out, sidecar, files);
  process.stdout.write(`wrote ${Object.keys(files).join(", ")} and heed-onnx.json to ${out}\n`);
}

/** An exported directory as it is, or a checkpoint exported in memory. */
function exported(path: string): { sidecar: Sidecar; files: Record<string, Uint8Array> } {
  const dir = readExport(path);
  if (dir !== null) return dir;
  const { rt, config, ckpt } = restore(path);
  return exportCheckpoint(rt, config, ckpt.vocab);
}

/** `heed predict --engine ort` for an exported directory or a checkpoint, sessions created once. */
export async function ortPredictor(path: string, threads = 1, beam?: number): Promise<(inputs: readonly string[]) => Promise<string[]>> {
  const ort = await loadOrt();
  const { sidecar, files } = exported(path);
  if (beam !== undefined) checkBeam(sidecar.task, beam);
  if (sidecar.task !== "g2p" && sidecar.task !== "translate") return ortGraphPredictor(ort, sidecar, files, threads);
  const model = await OrtSeq2Seq.create(ort, sidecar, files, threads, beam);
  return (inputs) => model.predict(inputs);
}
