import { closeSync, openSync, readSync } from "node:fs";
import { CsvReader, type CsvOptions } from "../csv/reader.js";
import type { CsvTable } from "../csv/table.js";

/**
 * Read a CSV file piece by piece (1 MiB at a time) through `CsvReader`: the file's text is
 * never held in memory as a whole, only the parsed columns are. Errors name the file,
 * line and column.
 *
 * @example
 * const table = readCsvFile("prices.csv", { columns: ["open", "close"], text: ["date"] });
 * const x = table.toTensor(); // float32 [rows, 2]
 */
export function readCsvFile(path: string, options: CsvOptions = {}, chunkBytes = 1 << 20): CsvTable {
  const reader = new CsvReader({ ...options, source: options.source ?? `readCsvFile ${path}` });
  const decoder = new TextDecoder("utf-8");
  const buffer = new Uint8Array(chunkBytes);
  const fd = openSync(path, "r");
  try {
    for (let n = readSync(fd, buffer, 0, chunkBytes, null); n > 0; n = readSync(fd, buffer, 0, chunkBytes, null)) {
      reader.write(decoder.decode(buffer.subarray(0, n), { stream: true }));
    }
    reader.write(decoder.decode());
  } finally {
    closeSync(fd);
  }
  return reader.end();
}
