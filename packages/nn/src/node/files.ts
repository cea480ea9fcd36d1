/** Node-only file helpers: atomic writes and safetensors files on disk. */
import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, openSync, readFileSync, readdirSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { open, readFile, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { parseSafetensors, serializeSafetensors, type NamedTensors, type ParsedSafetensors } from "../safetensors/index.js";
import { describeValue } from "@heed/tensor-core";

function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
}

/** Whether process `pid` is running on this machine (EPERM: it is, under another user). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Remove the temporary files that `writeFileAtomic(path)` / `writeFileAtomicSync(path)` left beside
 * `path` in processes that were killed mid-write (kill -9, power loss): `.<name>.<pid>.<hex>.tmp`
 * whose process is no longer running on this machine. Temporary files of running processes (this
 * one included) and every other file are kept. Returns the names removed; a missing directory
 * removes nothing.
 */
export function removeStaleTempFiles(path: string): string[] {
  const dir = dirname(path);
  const prefix = `.${basename(path)}.`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const f of names) {
    if (!f.startsWith(prefix)) continue;
    const m = /^(\d+)\.[0-9a-f]{12}\.tmp$/.exec(f.slice(prefix.length));
    if (m === null) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || alive(pid)) continue;
    try {
      unlinkSync(join(dir, f));
      removed.push(f);
    } catch {
      // gone already (another cleaner) or not removable: leave it
    }
  }
  return removed;
}

function toBytes(data: Uint8Array | string): Uint8Array {
  return typeof data === "string" ? new TextEncoder().encode(data) : data;
}

/** Best-effort fsync of a directory so that a rename inside it is durable (not supported everywhere). */
async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some platforms (Windows) cannot open or fsync a directory; the rename is still atomic.
  }
}

/**
 * Write `data` to `path` atomically: the bytes go to a temporary file in the same directory,
 * which is fsynced and then renamed over `path`. Readers see the old file or the new one,
 * never a partial write; on failure the temporary file is removed and `path` is untouched.
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const tmp = tempPathFor(path);
  try {
    const handle = await open(tmp, "wx", 0o644);
    try {
      await handle.writeFile(toBytes(data));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw new Error(`writeFileAtomic: could not write '${path}': ${(e as Error).message}`, { cause: e });
  }
  await syncDir(dirname(path));
}

/** Synchronous `writeFileAtomic` (same guarantees), for exit handlers and simple scripts. */
export function writeFileAtomicSync(path: string, data: Uint8Array | string): void {
  const tmp = tempPathFor(path);
  try {
    const fd = openSync(tmp, "wx", 0o644);
    try {
      const bytes = toBytes(data);
      let written = 0;
      while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // the temporary file was never created
    }
    throw new Error(`writeFileAtomicSync: could not write '${path}': ${(e as Error).message}`, { cause: e });
  }
}

/** Save tensors (e.g. `model.stateDict()`) as a safetensors file, atomically. */
export async function saveSafetensors(path: string, tensors: NamedTensors, metadata?: Readonly<Record<string, string>>): Promise<void> {
  await writeFileAtomic(path, serializeSafetensors(tensors, metadata));
}

/**
 * Read and validate a safetensors file (see `parseSafetensors` for the checks). A file that
 * cannot be read, or is not a safetensors file, throws one error naming the function and the
 * path (`loadSafetensors: 'model.json' is not a safetensors file: …`).
 */
export async function loadSafetensors(path: string): Promise<ParsedSafetensors> {
  checkPath("loadSafetensors", path);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new Error(`loadSafetensors: cannot read '${path}': ${(e as Error).message}`, { cause: e });
  }
  return parseFile("loadSafetensors", path, bytes);
}

/** Synchronous `loadSafetensors`. */
export function loadSafetensorsSync(path: string): ParsedSafetensors {
  checkPath("loadSafetensorsSync", path);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new Error(`loadSafetensorsSync: cannot read '${path}': ${(e as Error).message}`, { cause: e });
  }
  return parseFile("loadSafetensorsSync", path, bytes);
}

function checkPath(fn: string, path: unknown): void {
  if (typeof path !== "string" || path === "") throw new Error(`${fn}: expected a file path (a non-empty string), got ${describeValue(path)}`);
}

function parseFile(fn: string, path: string, bytes: Buffer): ParsedSafetensors {
  try {
    return parseSafetensors(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (e) {
    const why = (e as Error).message.replace(/^parseSafetensors: /, "");
    throw new Error(`${fn}: '${path}' is not a safetensors file (or is damaged): ${why}`, { cause: e });
  }
}
