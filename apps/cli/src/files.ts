import { writeFileAtomicSync } from "@heed/nn/node";

/** Write a text file atomically (temp file + rename), so readers never see half a file. */
export function writeTextAtomic(path: string, text: string): void {
  writeFileAtomicSync(path, text);
}
