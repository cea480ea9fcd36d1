import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readCsvFile } from "./csv.js";

const dir = mkdtempSync(join(tmpdir(), "heed-csv-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("readCsvFile", () => {
  it("reads a file in small chunks, with multi-byte characters across chunk boundaries", () => {
    const path = join(dir, "ok.csv");
    const rows = Array.from({ length: 500 }, (_, i) => `é${i}→,${i},${i * 0.5}`);
    writeFileSync(path, `name,i,half\n${rows.join("\n")}\n`);
    const t = readCsvFile(path, { text: ["name"] }, 7);
    expect(t.rows).toBe(500);
    expect(t.text("name")[499]).toBe("é499→");
    expect(t.column("half")[499]).toBe(249.5);
    expect(t.toTensor(["i"]).shape).toEqual([500, 1]);
  });

  it("names the file, line and column of a bad value", () => {
    const path = join(dir, "bad.csv");
    writeFileSync(path, "a,b\n1,2\n3,oops\n");
    expect(() => readCsvFile(path)).toThrow(`readCsvFile ${path}: line 3, column 2 ('b'): "oops" is not a number`);
  });
});
