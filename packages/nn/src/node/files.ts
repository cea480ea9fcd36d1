/** Node-only file helpers: atomic writes and safetensors files on disk. */
import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { open, readFile, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { parseSafetensors, serializeSafetensors, type NamedTensors, type ParsedSafetensors } from "../safetensors/index.js";

function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
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

/** Read and validate a safetensors file (see `parseSafetensors` for the checks). */
export async function loadSafetensors(path: string): Promise<ParsedSafetensors> {
  const bytes = await readFile(path);
  return parseSafetensors(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

/** Synchronous `loadSafetensors`. */
export function loadSafetensorsSync(path: string): ParsedSafetensors {
  const bytes = readFileSync(path);
  return parseSafetensors(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}
