import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadDigits } from "@heed/datasets/node";
import { PNG } from "pngjs";
import { afterAll, describe, expect, it } from "vitest";

// End-to-end on the BUILT binary (turbo builds apps/cli before its tests).
const bin = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "heed-digits-e2e-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function heed(args: string[], input?: string): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: work, input: input ?? "", encoding: "utf8", timeout: 240_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Write test digit n as a PNG: `scale`× larger, white-on-black or black-on-white, grey or RGB. */
function writeDigit(path: string, n: number, { scale = 1, inverted = false, rgb = false } = {}): void {
  const px = loadDigits().test.images.data.subarray(n * 784, (n + 1) * 784);
  const S = 28 * scale;
  const png = new PNG({ width: S, height: S });
  for (let y = 0; y < S; y++) for (let x = 0; x < S; x++) {
    const v = Math.round(255 * px[Math.floor(y / scale) * 28 + Math.floor(x / scale)]!);
    const g = inverted ? 255 - v : v;
    png.data.set(rgb ? [g, Math.round(g * 0.8), 255 - Math.round((255 - g) * 0.9), 255] : [g, g, g, 255], (y * S + x) * 4);
  }
  writeFileSync(path, PNG.sync.write(png, { colorType: rgb ? 2 : 0 }));
}

/** A small ViT for a few steps. */
const TINY = ["--d-model", "16", "--heads", "2", "--layers", "1", "--ff", "32", "--batch-size", "32"];

describe("heed train digits (built binary)", () => {
  it("trains, evaluates with a confusion matrix, predicts PNG files and draws the attention rollout as PNG and SVG", () => {
    const out = join(work, "digits");
    const train = heed(["train", "digits", ...TINY, "--max-steps", "4", "--out", out]);
    expect(train.code, train.stderr).toBe(0);
    expect(train.stdout).toMatch(/^heed train digits: [\d,]+ parameters, 5,994 training and 2,004 test examples$/m);
    expect(train.stdout).toMatch(/^Epoch 1\/\d+, Loss: \d+\.\d{4}, Test Loss: \d+\.\d{4}, Accuracy: \d+\.\d\d% \(stopped after 4 batches\)$/m);

    const ev = heed(["eval", out]);
    expect(ev.code, ev.stderr).toBe(0);
    const lines = ev.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^digits test split: Test Loss: \d+\.\d{4}, Accuracy: \d+\.\d\d%$/);
    expect(lines[1]).toBe("true\\pred   0   1   2   3   4   5   6   7   8   9  right");
    expect(lines).toHaveLength(12);
    const total = lines.slice(2).reduce((s, l) => s + l.trim().split(/\s+/).slice(1, 11).reduce((a, c) => a + Number(c), 0), 0);
    expect(total).toBe(2004);

    const files = [join(work, "a.png"), join(work, "b big inverted.png"), join(work, "c.png")];
    writeDigit(files[0]!, 0);
    writeDigit(files[1]!, 1, { scale: 5, inverted: true });
    writeDigit(files[2]!, 2, { scale: 2, rgb: true });
    const pred = heed(["predict", out, ...files]);
    expect(pred.code, pred.stderr).toBe(0);
    const rows = pred.stdout.trim().split("\n").map((l) => l.split("\t"));
    expect(rows.map((r) => r[0])).toEqual(files);
    for (const r of rows) {
      expect(r[1]).toMatch(/^\d$/);
      expect(Number(r[2])).toBeGreaterThan(0);
      expect(Number(r[2])).toBeLessThanOrEqual(1);
    }
    const stdin = heed(["predict", out], files.join("\n") + "\n");
    expect(stdin.stdout).toBe(pred.stdout);
    const bad = heed(["predict", out, join(work, "missing.png")]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/missing\.png/);

    const png = join(work, "map.png");
    const att = heed(["attention", out, files[0]!, "--out", png]);
    expect(att.code, att.stderr).toBe(0);
    expect(att.stdout).toMatch(/attention rollout, class token → 4×4 patches/);
    const map = PNG.sync.read(readFileSync(png));
    expect([map.width, map.height]).toEqual([456, 224]);
    const svg = join(work, "map.svg");
    expect(heed(["attention", out, "test:7", "--out", svg]).code).toBe(0);
    expect(readFileSync(svg, "utf8")).toMatch(/^<svg[^>]*width="456"/);
    const wrong = heed(["attention", out, "test:7", "--out", join(work, "map.jpg")]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toBe(`heed: attention: --out must name a .png or .svg file, got '${join(work, "map.jpg")}'\n`);
  }, 900_000);
});
