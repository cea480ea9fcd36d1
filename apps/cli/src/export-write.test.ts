import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SIDECAR, writeExport, type Sidecar } from "./export.js";
import { readExport } from "./export-ort.js";

let dir = "";
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const sidecar = (tag: string, files: string[]): Sidecar =>
  ({ format: 1, task: "seed", heedVersion: tag, opset: 17, vocab: {}, config: {}, dModel: 1, numLayers: 1, beam: 1, graphs: Object.fromEntries(files.map((f) => [f, { file: f, inputs: [], outputs: [] }])) }) as unknown as Sidecar;
const bytes = (s: string) => new TextEncoder().encode(s);

describe("writeExport", () => {
  it("a re-export cut short leaves no export, never the old sidecar over some new graphs", () => {
    dir = mkdtempSync(join(tmpdir(), "heed-export-"));
    writeExport(dir, sidecar("old", ["a.onnx", "b.onnx"]), { "a.onnx": bytes("old a"), "b.onnx": bytes("old b") });
    expect(readExport(dir)?.sidecar.heedVersion).toBe("old");
    mkdirSync(join(dir, "c.onnx")); // writing this graph fails, as a kill or a full disk would cut the export there
    const files = { "a.onnx": bytes("new a"), "c.onnx": bytes("new c") };
    expect(() => writeExport(dir, sidecar("new", ["a.onnx", "c.onnx"]), files)).toThrow(/could not write/);
    expect(readFileSync(join(dir, "a.onnx"), "utf8")).toBe("new a");
    expect(readExport(dir)).toBeNull(); // no heed-onnx.json: not an export
    rmSync(join(dir, "c.onnx"), { recursive: true });
    writeExport(dir, sidecar("new", ["a.onnx", "c.onnx"]), files);
    expect(readExport(dir)?.sidecar.heedVersion).toBe("new");
    expect(JSON.parse(readFileSync(join(dir, SIDECAR), "utf8"))).toMatchObject({ heedVersion: "new" });
  });
});
