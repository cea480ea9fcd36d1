import { closeSync, fsyncSync, openSync } from "node:fs";
import { removeStaleTempFiles, writeFileAtomicSync } from "@heed/nn/node";

/**
 * Write a file atomically (temp file + rename), so readers never see half a file; first remove
 * the temporary files of `path` that an earlier run killed mid-write left beside it.
 */
export function writeFileAtomic(path: string, data: Uint8Array | string): void {
  removeStaleTempFiles(path);
  writeFileAtomicSync(path, data);
}

/** `writeFileAtomic` of a text file. */
export function writeTextAtomic(path: string, text: string): void {
  writeFileAtomic(path, text);
}

/** Best-effort fsync of a directory, so the renames in it survive a power loss (not possible everywhere). */
export function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // some platforms cannot open or fsync a directory; the renames are still atomic
  }
}
