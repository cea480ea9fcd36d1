import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { parseSafetensors, serializeSafetensors } from "@heed/nn";
import { writeFileAtomicSync as writeFileAtomic } from "@heed/nn/node";
import type { Tensor } from "@heed/tensor-core";
import { RuntimeError } from "./errors.js";

/** Bumped when the checkpoint layout changes; older checkpoints are refused with a clear error. */
export const CHECKPOINT_FORMAT = 1;

export interface CheckpointFiles {
  model: Map<string, Tensor> | Record<string, Tensor>;
  optimizer?: Map<string, Tensor> | Record<string, Tensor>;
  optimizerMeta?: Record<string, string>;
  config: Record<string, unknown>;
  vocab: unknown;
  trainer: Record<string, unknown>;
}

export interface LoadedCheckpoint {
  dir: string;
  model: Map<string, Tensor>;
  optimizer: Map<string, Tensor> | null;
  optimizerMeta: Record<string, string>;
  config: Record<string, unknown>;
  vocab: unknown;
  trainer: Record<string, unknown>;
}

/**
 * Write a checkpoint directory atomically: every file goes into `<dir>.new/`, then the
 * old directory is moved aside and the new one renamed into place, so an interrupted
 * run leaves either the old or the new checkpoint, never a mix.
 */
export function saveCheckpoint(dir: string, files: CheckpointFiles): void {
  const tmp = `${dir}.new`;
  const old = `${dir}.old`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  writeFileAtomic(join(tmp, "model.safetensors"), serializeSafetensors(files.model, { format: "heed", heed_checkpoint: String(CHECKPOINT_FORMAT) }));
  if (files.optimizer !== undefined) writeFileAtomic(join(tmp, "optimizer.safetensors"), serializeSafetensors(files.optimizer, files.optimizerMeta));
  writeFileAtomic(join(tmp, "config.json"), JSON.stringify({ checkpointFormat: CHECKPOINT_FORMAT, ...files.config }, null, 2) + "\n");
  writeFileAtomic(join(tmp, "vocab.json"), JSON.stringify(files.vocab) + "\n");
  writeFileAtomic(join(tmp, "trainer.json"), JSON.stringify(files.trainer) + "\n");
  rmSync(old, { recursive: true, force: true });
  if (existsSync(dir)) renameSync(dir, old);
  renameSync(tmp, dir);
  rmSync(old, { recursive: true, force: true });
}

function readJson(path: string, what: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new RuntimeError(`checkpoint is missing ${what} (${path})`);
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new RuntimeError(`checkpoint file ${path} is corrupt: ${(e as Error).message}`);
  }
}

function readTensors(path: string): { tensors: Map<string, Tensor>; metadata: Record<string, string> } {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch {
    throw new RuntimeError(`checkpoint is missing ${path}`);
  }
  try {
    const { tensors, metadata } = parseSafetensors(bytes);
    const map = tensors instanceof Map ? tensors : new Map(Object.entries(tensors));
    return { tensors: map as Map<string, Tensor>, metadata: metadata ?? {} };
  } catch (e) {
    throw new RuntimeError(`checkpoint file ${path} is corrupt: ${(e as Error).message}`);
  }
}

/**
 * Resolve a checkpoint argument: a run directory (`runs/g2p`, which holds `best/` and
 * `last/`) or one checkpoint directory. A run directory resolves to `best`.
 */
export function resolveCheckpointDir(path: string, prefer: "best" | "last" = "best"): string {
  if (!existsSync(path)) throw new RuntimeError(`no checkpoint at '${path}' (run 'heed train --out ${path}' first)`);
  if (existsSync(join(path, "config.json"))) return path;
  for (const name of prefer === "best" ? ["best", "last"] : ["last", "best"]) {
    const d = join(path, name);
    if (existsSync(join(d, "config.json"))) return d;
    if (existsSync(join(`${d}.old`, "config.json"))) return `${d}.old`; // interrupted while swapping
  }
  throw new RuntimeError(`'${path}' is not a heed checkpoint (no config.json in it or in ${join(path, "best")} / ${join(path, "last")})`);
}

export function loadCheckpoint(path: string, prefer: "best" | "last" = "best"): LoadedCheckpoint {
  const dir = resolveCheckpointDir(path, prefer);
  const config = readJson(join(dir, "config.json"), "config.json");
  const format = config.checkpointFormat;
  if (format !== CHECKPOINT_FORMAT) {
    throw new RuntimeError(`checkpoint ${dir} has format ${String(format)}, but this heed reads format ${CHECKPOINT_FORMAT}; retrain it with this version`);
  }
  const model = readTensors(join(dir, "model.safetensors")).tensors;
  const optPath = join(dir, "optimizer.safetensors");
  const opt = existsSync(optPath) ? readTensors(optPath) : null;
  return {
    dir,
    model,
    optimizer: opt?.tensors ?? null,
    optimizerMeta: opt?.metadata ?? {},
    config,
    vocab: readJson(join(dir, "vocab.json"), "vocab.json"),
    trainer: readJson(join(dir, "trainer.json"), "trainer.json"),
  };
}
