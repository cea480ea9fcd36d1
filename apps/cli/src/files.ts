import { closeSync, fsyncSync, openSync } from "node:fs";
import { writeFileAtomicSync } from "@heed/nn/node";

/** Write a text file atomically (temp file + rename), so readers never see half a file. */
export function writeTextAtomic(path: string, text: string): void {
  writeFileAtomicSync(path, text);
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
