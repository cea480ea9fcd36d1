import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { randomBytes } from "node:crypto";
import { parseSafetensors, serializeSafetensors } from "@heed/nn";
import { writeFileAtomicSync as writeFileAtomic } from "@heed/nn/node";
import type { Tensor } from "@heed/tensor-core";
import type { z } from "zod";
import { trainConfigSchema, type TrainConfig } from "./config.js";
import { RuntimeError } from "./errors.js";
import { syncDir } from "./files.js";
import { trainerStateSchema, type TrainerState } from "./trainer-state.js";

/** Bumped when the checkpoint layout changes; older checkpoints are refused with a clear error. */
export const CHECKPOINT_FORMAT = 1;

export interface CheckpointFiles {
  model: Map<string, Tensor> | Record<string, Tensor>;
  optimizer?: Map<string, Tensor> | Record<string, Tensor>;
  optimizerMeta?: Record<string, string>;
  config: TrainConfig;
  vocab: unknown;
  trainer: TrainerState;
}

export interface LoadedCheckpoint {
  dir: string;
  model: Map<string, Tensor>;
  optimizer: Map<string, Tensor> | null;
  optimizerMeta: Record<string, string>;
  config: TrainConfig;
  vocab: unknown;
  trainer: TrainerState;
}

/** config.json is written last: a directory that has it is complete. */
const isComplete = (dir: string) => existsSync(join(dir, "config.json"));

/** Delete a directory without ever leaving it half-deleted under its own name: rename first, then remove. */
export function discardCheckpoint(dir: string): void {
  if (!existsSync(dir)) return;
  const trash = `${dir}.trash-${randomBytes(4).toString("hex")}`;
  renameSync(dir, trash);
  rmSync(trash, { recursive: true, force: true });
}

/** `discardCheckpoint`'s leftovers for `name`: `<name>.trash-*`, `<name>.old.trash-*`, `<name>.new.trash-*`. */
const isTrashOf = (name: string, f: string) =>
  [name, `${name}.old`, `${name}.new`].some((of) => f.startsWith(`${of}.trash-`) && /^[0-9a-f]{8}$/.test(f.slice(of.length + 7)));

/**
 * Finish or undo a save that was cut short (kill -9, power loss): afterwards `dir` is the newest
 * complete checkpoint and no `.new`, `.old` or `.trash-*` sibling is left (also none of the
 * `.old.trash-*` or `.new.trash-*` a kill during `discardCheckpoint`'s delete leaves).
 */
export function recoverCheckpoint(dir: string): void {
  const parent = dirname(dir);
  const name = basename(dir);
  if (existsSync(parent)) {
    for (const f of readdirSync(parent)) if (isTrashOf(name, f)) rmSync(join(parent, f), { recursive: true, force: true });
  }
  const tmp = `${dir}.new`;
  const old = `${dir}.old`;
  if (isComplete(tmp)) {
    discardCheckpoint(old);
    if (existsSync(dir)) renameSync(dir, old);
    renameSync(tmp, dir);
  } else {
    discardCheckpoint(tmp);
    if (!existsSync(dir) && isComplete(old)) renameSync(old, dir);
  }
  discardCheckpoint(old);
}

/** The checkpoints a run directory can hold: `--refit on` adds `valid-best/` and phase 2's `refit/last/`. */
export const RUN_CHECKPOINTS = ["last", "best", "valid-best", join("refit", "last")] as const;

/**
 * `recoverCheckpoint` for every checkpoint of the run in `out`, before a run there starts or
 * resumes: a save of `best/` (or a copy to `valid-best/`) cut short is finished or undone even when
 * this run never saves that checkpoint again, and none of their leftovers stays behind.
 */
export function recoverRun(out: string): void {
  for (const name of RUN_CHECKPOINTS) recoverCheckpoint(join(out, name));
}

/**
 * Write a checkpoint directory atomically: every file goes into `<dir>.new/` (config.json last,
 * which marks it complete), then the old directory is moved aside and the new one renamed into
 * place. Killed at any moment, it leaves a complete checkpoint that `resolveCheckpointDir` finds
 * (the new one once `<dir>.new/` is complete, else the old one), never a mix.
 */
export function saveCheckpoint(dir: string, files: CheckpointFiles): void {
  recoverCheckpoint(dir);
  const tmp = `${dir}.new`;
  mkdirSync(tmp, { recursive: true });
  writeFileAtomic(join(tmp, "model.safetensors"), serializeSafetensors(files.model, { format: "heed", heed_checkpoint: String(CHECKPOINT_FORMAT) }));
  if (files.optimizer !== undefined) writeFileAtomic(join(tmp, "optimizer.safetensors"), serializeSafetensors(files.optimizer, files.optimizerMeta));
  writeFileAtomic(join(tmp, "vocab.json"), JSON.stringify(files.vocab) + "\n");
  writeFileAtomic(join(tmp, "trainer.json"), JSON.stringify(files.trainer) + "\n");
  writeFileAtomic(join(tmp, "config.json"), JSON.stringify({ checkpointFormat: CHECKPOINT_FORMAT, ...files.config }, null, 2) + "\n");
  syncDir(tmp);
  recoverCheckpoint(dir); // swaps the complete .new in
  syncDir(dirname(dir));
}

/**
 * Copy a complete checkpoint directory to `to`, atomically as `saveCheckpoint` writes one: the
 * files go into `<to>.new/` (config.json last), which is then swapped in.
 */
export function copyCheckpoint(from: string, to: string): void {
  recoverCheckpoint(to);
  const tmp = `${to}.new`;
  mkdirSync(tmp, { recursive: true });
  const files = readdirSync(from).filter((f) => f !== "config.json");
  for (const f of [...files, "config.json"]) writeFileAtomic(join(tmp, f), readFileSync(join(from, f)));
  syncDir(tmp);
  recoverCheckpoint(to);
  syncDir(dirname(to));
}

function readJson(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new RuntimeError(`checkpoint is missing ${what} (${path})`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new RuntimeError(`checkpoint file ${path} is corrupt: ${(e as Error).message}`);
  }
}

/** Parse with a schema; the first problem becomes one line naming the file and the field. */
function validate<S extends z.ZodType>(schema: S, value: unknown, path: string): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = issue.path.length > 0 ? `field '${issue.path.join(".")}': ` : "";
  throw new RuntimeError(`checkpoint file ${path} is invalid: ${field}${issue.message}`);
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

/** The newest complete version of one checkpoint (`last`, or a save of it cut short), or null. */
function newestComplete(dir: string): string | null {
  for (const d of [`${dir}.new`, dir, `${dir}.old`]) if (isComplete(d)) return d;
  return null;
}

/**
 * Resolve a checkpoint argument: a run directory (`runs/g2p`, which holds `best/` and
 * `last/`) or one checkpoint directory. A run directory resolves to `prefer` if it has one.
 */
export function resolveCheckpointDir(path: string, prefer: "best" | "last" = "best"): string {
  // `runs/g2p/last` itself may be missing for a moment: a save killed between its two renames left last.old/ and last.new/
  const self = newestComplete(path);
  if (self !== null) return self;
  if (!existsSync(path)) throw new RuntimeError(`no checkpoint at '${path}' (run 'heed train --out ${path}' first)`);
  for (const name of prefer === "best" ? ["best", "last"] : ["last", "best"]) {
    const d = newestComplete(join(path, name));
    if (d !== null) return d;
  }
  throw new RuntimeError(`'${path}' is not a heed checkpoint (no config.json in it or in ${join(path, "best")} / ${join(path, "last")})`);
}

export function loadCheckpoint(path: string, prefer: "best" | "last" = "best"): LoadedCheckpoint {
  const dir = resolveCheckpointDir(path, prefer);
  const configPath = join(dir, "config.json");
  const raw = readJson(configPath, "config.json");
  const format = typeof raw === "object" && raw !== null ? (raw as { checkpointFormat?: unknown }).checkpointFormat : undefined;
  if (format !== CHECKPOINT_FORMAT) {
    throw new RuntimeError(`checkpoint ${dir} has format ${String(format)}, but this heed reads format ${CHECKPOINT_FORMAT}; retrain it with this version`);
  }
  const config = validate(trainConfigSchema, raw, configPath);
  const trainerPath = join(dir, "trainer.json");
  const trainer = validate(trainerStateSchema, readJson(trainerPath, "trainer.json"), trainerPath);
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
    trainer,
  };
}
