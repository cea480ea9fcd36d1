import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tensor } from "@heed/tensor-core";
import { afterEach, describe, expect, it } from "vitest";
import { loadSafetensors, loadSafetensorsSync, removeStaleTempFiles, saveSafetensors, writeFileAtomic, writeFileAtomicSync } from "./files.js";

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "heed-nn-"));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("node file helpers", () => {
  it("saves and loads a safetensors file, replacing an existing one and leaving no temporary file", async () => {
    const dir = tempDir();
    const path = join(dir, "model.safetensors");
    await saveSafetensors(path, { w: tensor([1, 2, 3]) }, { epoch: "1" });
    await saveSafetensors(path, new Map([["w", tensor([4, 5])], ["i", tensor([7], undefined, "int32")]]), { epoch: "2" });
    const { tensors, metadata } = await loadSafetensors(path);
    expect(metadata).toEqual({ epoch: "2" });
    expect([...tensors.get("w")!.data]).toEqual([4, 5]);
    expect(loadSafetensorsSync(path).tensors.get("i")!.dtype).toBe("int32");
    expect(readdirSync(dir)).toEqual(["model.safetensors"]);
  });

  it("writes text atomically, sync and async", async () => {
    const dir = tempDir();
    await writeFileAtomic(join(dir, "a.json"), '{"a":1}');
    writeFileAtomicSync(join(dir, "b.json"), new TextEncoder().encode("héllo"));
    expect(readFileSync(join(dir, "a.json"), "utf8")).toBe('{"a":1}');
    expect(readFileSync(join(dir, "b.json"), "utf8")).toBe("héllo");
    expect(readdirSync(dir).sort()).toEqual(["a.json", "b.json"]);
  });

  it("fails with the path in the message and leaves the directory unchanged", async () => {
    const dir = tempDir();
    await expect(writeFileAtomic(join(dir, "missing", "x.bin"), "x")).rejects.toThrow(/writeFileAtomic: could not write '.*missing\/x\.bin'/);
    expect(() => writeFileAtomicSync(join(dir, "missing", "x.bin"), "x")).toThrow(/writeFileAtomicSync: could not write/);
    await expect(writeFileAtomic(dir, "x")).rejects.toThrow(/could not write/); // a directory cannot be replaced by a file
    expect(readdirSync(dir)).toEqual([]);
  });

  it("removeStaleTempFiles removes the temporary files of a path that killed writers left, and nothing else", () => {
    const dir = tempDir();
    const gone = spawnSync(process.execPath, ["-e", ""]).pid; // a process that has exited
    const names = [
      `.a.json.${gone}.0123456789ab.tmp`, // a.json's, its writer gone: removed
      `.a.json.${process.pid}.0123456789ab.tmp`, // a running writer's (this process): kept
      `.b.json.${gone}.0123456789ab.tmp`, // another file's: kept
      `.a.json.${gone}.notahexname!.tmp`, // not a temporary file's name: kept
      "a.json",
    ];
    for (const n of names) writeFileSync(join(dir, n), "x");
    expect(removeStaleTempFiles(join(dir, "a.json"))).toEqual([names[0]]);
    expect(readdirSync(dir).sort()).toEqual(names.slice(1).sort());
    expect(removeStaleTempFiles(join(dir, "missing", "a.json"))).toEqual([]);
  });

  it("rejects a corrupt file naming the loader, the path and parseSafetensors' reason", async () => {
    const dir = tempDir();
    const path = join(dir, "bad.safetensors");
    await writeFileAtomic(path, new Uint8Array([200, 0, 0, 0, 0, 0, 0, 0, 123]));
    await expect(loadSafetensors(path)).rejects.toThrow(`loadSafetensors: '${path}' is not a safetensors file (or is damaged): header length 200 runs past the end of the 9-byte file`);
    expect(() => loadSafetensorsSync(path)).toThrow(`loadSafetensorsSync: '${path}' is not a safetensors file (or is damaged): header length 200`);
  });

  it("a missing file, a directory, a JSON file or no path name the loader and the path (was a bare ENOENT/EISDIR)", async () => {
    const dir = tempDir();
    await expect(loadSafetensors(join(dir, "missing.safetensors"))).rejects.toThrow(new RegExp(`^loadSafetensors: cannot read '${join(dir, "missing.safetensors")}': ENOENT`));
    expect(() => loadSafetensorsSync(dir)).toThrow(new RegExp(`^loadSafetensorsSync: cannot read '${dir}': EISDIR`));
    const json = join(dir, "config.json");
    await writeFileAtomic(json, new TextEncoder().encode(JSON.stringify({ task: "g2p", dModel: 64 })));
    expect(() => loadSafetensorsSync(json)).toThrow(new RegExp(`^loadSafetensorsSync: '${json}' is not a safetensors file \\(or is damaged\\): header length \\d+ exceeds`));
    expect(() => loadSafetensorsSync(undefined as unknown as string)).toThrow("loadSafetensorsSync: expected a file path (a non-empty string), got undefined");
    await expect(loadSafetensors(42 as unknown as string)).rejects.toThrow("loadSafetensors: expected a file path (a non-empty string), got number 42");
  });
});
