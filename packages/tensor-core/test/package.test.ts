import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const pkgDir = fileURLToPath(new URL("..", import.meta.url));

// Black-box: plain Node ESM imports the BUILT package by its name (self-reference through
// the exports map), exactly as a user's project would after `npm install @heed/tensor-core`.
describe("built package", () => {
  it("imports by name from plain Node ESM and computes", () => {
    expect(existsSync(`${pkgDir}/dist/index.js`), "run `pnpm build` first (turbo does it before this test)").toBe(true);
    const script = `
      import { tensor, matmul, softmax, Generator, randn } from "@heed/tensor-core";
      const a = tensor([[1, 2], [3, 4]]);
      const b = tensor([[5, 6], [7, 8]]);
      const c = matmul(a, b);
      const s = softmax(tensor([[1000, 1000, -Infinity]]), -1);
      const r = randn([3], new Generator(7)).toArray();
      console.log(JSON.stringify({ c: c.toArray(), shape: c.shape, s: s.toArray(), same: JSON.stringify(r) === JSON.stringify(randn([3], new Generator(7)).toArray()) }));
    `;
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: pkgDir, encoding: "utf8" });
    const result = JSON.parse(out) as { c: number[][]; shape: number[]; s: number[][]; same: boolean };
    expect(result.shape).toEqual([2, 2]);
    expect(result.c).toEqual([[19, 22], [43, 50]]);
    expect(result.s[0]).toEqual([0.5, 0.5, 0]);
    expect(result.same).toBe(true);
  });
});

describe("built package: class names", () => {
  it("errors name a Tensor as 'a Tensor', in the ESM and the CommonJS build (the bundler renames classes, the explicit typeName survives)", () => {
    const check = `console.log(JSON.stringify([m.describeValue(m.zeros([2])), m.describeValue(new m.Generator(1)), m.Tensor.typeName, m.Generator.typeName]))`;
    for (const [type, code] of [
      ["module", `import * as m from "@heed/tensor-core"; ${check}`],
      ["commonjs", `const m = require("@heed/tensor-core"); ${check}`],
    ] as const) {
      const out = execFileSync(process.execPath, [`--input-type=${type}`, "-e", code], { cwd: pkgDir, encoding: "utf8" });
      expect(JSON.parse(out), type).toEqual(["a Tensor", "a Generator", "Tensor", "Generator"]);
    }
  });
});

describe("README", () => {
  it("its first example runs as written against the built package", () => {
    const readme = readFileSync(`${pkgDir}/README.md`, "utf8");
    const code = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(code).toBeDefined();
    const file = `${pkgDir}/.readme-example.tmp.mjs`;
    writeFileSync(file, code!);
    try {
      const out = execFileSync(process.execPath, [file], { cwd: pkgDir, encoding: "utf8" });
      expect(out).toMatch(/\[ 2, 4, 6 \] \[ \[ 1, 1, 1, 1 \], \[ 1, 1, 1, 1 \] \]|\[ 2, 4, 6 \]/);
      expect(out).toMatch(/tensor\(\[\[17\.0000\],\s+\[39\.0000\]\], shape=\[2,1\], dtype=float32\)/);
    } finally {
      rmSync(file, { force: true });
    }
  });
});
