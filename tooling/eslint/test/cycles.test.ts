import { ESLint } from "eslint";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../..", import.meta.url));
// The cycle rule follows imports on disk, so the probe files are written inside the repo (lint's base
// path), in a directory that `pnpm lint` ignores (`**/.lint-probe-*/`) and this test lints with ignores off.
const dir = path.join(root, "tooling", "eslint", "test", `.lint-probe-${process.pid}`);

/** Lint files of the probe directory with the repo's config (type-aware rules off: the files are not in a tsconfig). */
async function lint(files: Record<string, string>, target: string): Promise<string[]> {
  for (const [name, code] of Object.entries(files)) writeFileSync(path.join(dir, name), code);
  const filePath = path.join(dir, target);
  const eslint = new ESLint({ cwd: root, ignore: false });
  const config = (await eslint.calculateConfigForFile(filePath)) as { rules?: Record<string, unknown> };
  const rules = Object.fromEntries(Object.keys(config.rules ?? {}).filter((r) => r.startsWith("@typescript-eslint/")).map((r) => [r, "off" as const]));
  const plain = new ESLint({
    cwd: root,
    ignore: false,
    overrideConfig: [{ languageOptions: { parserOptions: { projectService: false, project: null } }, rules }],
  });
  const [result] = await plain.lintText(files[target]!, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? "fatal"}: ${m.message}`);
}

describe("import-cycle rule", () => {
  beforeAll(() => mkdirSync(dir, { recursive: true }));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("rejects a value import cycle (a -> b -> a)", async () => {
    const messages = await lint(
      {
        "a1.ts": 'import { b } from "./b1.js";\nexport const a = (): number => b + 1;\n',
        "b1.ts": 'import { a } from "./a1.js";\nexport const b = 1;\nexport const f = a;\n',
      },
      "a1.ts",
    );
    expect(messages.join("\n")).toMatch(/import-x\/no-cycle: Dependency cycle/);
  });

  it("rejects a longer cycle through a barrel (a -> index -> c -> a)", async () => {
    const messages = await lint(
      {
        "a2.ts": 'import { c } from "./index.js";\nexport const a = c;\n',
        "index.ts": 'export { c } from "./c2.js";\n',
        "c2.ts": 'import { a } from "./a2.js";\nexport const c = 2;\nexport const g = (): number => a;\n',
      },
      "a2.ts",
    );
    expect(messages.join("\n")).toMatch(/import-x\/no-cycle/);
  });

  it("allows a type-only back edge (erased at compile time)", async () => {
    const messages = await lint(
      {
        "a3.ts": 'import { b } from "./b3.js";\nexport interface A { n: number }\nexport const a = b;\n',
        "b3.ts": 'import type { A } from "./a3.js";\nexport const b: A = { n: 1 };\n',
      },
      "a3.ts",
    );
    expect(messages.join("\n")).not.toMatch(/no-cycle/);
  });

  it("allows an acyclic graph", async () => {
    const messages = await lint(
      { "a4.ts": 'import { b } from "./b4.js";\nexport const a = b;\n', "b4.ts": "export const b = 1;\n" },
      "a4.ts",
    );
    expect(messages.join("\n")).not.toMatch(/no-cycle/);
  });
});

describe("max-lines rule", () => {
  beforeAll(() => mkdirSync(dir, { recursive: true }));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("rejects a file over 400 lines and accepts one of 400", async () => {
    const file = (n: number): string => Array.from({ length: n }, (_, i) => `export const x${i} = ${i};`).join("\n") + "\n";
    expect((await lint({ "long.ts": file(401) }, "long.ts")).join("\n")).toMatch(/max-lines: File has too many lines \(401\)\. Maximum allowed is 400/);
    expect((await lint({ "short.ts": file(400) }, "short.ts")).join("\n")).not.toMatch(/max-lines/);
  });
});
