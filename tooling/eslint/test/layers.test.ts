import { ESLint } from "eslint";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../..", import.meta.url));

/** Lint a snippet as if it were the given file of the repo (type-aware rules off: the file does not exist). */
async function lintAs(filePath: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: root });
  const config = (await eslint.calculateConfigForFile(filePath)) as { rules?: Record<string, unknown> };
  const rules = Object.fromEntries(Object.keys(config.rules ?? {}).filter((r) => r.startsWith("@typescript-eslint/")).map((r) => [r, "off" as const]));
  const plain = new ESLint({
    cwd: root,
    overrideConfig: [{ languageOptions: { parserOptions: { projectService: false, project: null } }, rules }],
  });
  const [result] = await plain.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? "fatal"}: ${m.message}`);
}

describe("layer rules", () => {
  it("rejects an upward import (tensor-core -> autograd)", async () => {
    const messages = await lintAs("packages/tensor-core/src/probe.ts", 'import { grad } from "@heed/autograd";\nexport const g = grad;\n');
    expect(messages.join("\n")).toMatch(/no-restricted-imports: .*Layer violation: @heed\/tensor-core/);
  });

  it("rejects a sideways import (data -> nn)", async () => {
    const messages = await lintAs("packages/data/src/probe.ts", 'import { Linear } from "@heed/nn";\nexport const l = Linear;\n');
    expect(messages.join("\n")).toMatch(/Layer violation: @heed\/data/);
  });

  it("rejects deep imports into another package's src/", async () => {
    const messages = await lintAs("packages/nn/src/probe.ts", 'import { run } from "@heed/tensor-core/src/dispatch.js";\nexport const r = run;\n');
    expect(messages.join("\n")).toMatch(/never its src/);
  });

  it("rejects Node built-ins in browser-safe sources but not in Node-only entries", async () => {
    const bad = await lintAs("packages/nn/src/probe.ts", 'import { readFileSync } from "node:fs";\nexport const r = readFileSync;\n');
    expect(bad.join("\n")).toMatch(/no Node built-ins/);
    const ok = await lintAs("packages/nn/src/node/probe.ts", 'import { readFileSync } from "node:fs";\nexport const r = readFileSync;\n');
    expect(ok.join("\n")).not.toMatch(/no-restricted-imports/);
  });

  it("allows a downward import (attention -> nn)", async () => {
    const messages = await lintAs("packages/attention/src/probe.ts", 'import { Linear } from "@heed/nn";\nexport const l = Linear;\n');
    expect(messages.join("\n")).not.toMatch(/no-restricted-imports/);
  });
});
