import { execFileSync } from "node:child_process";
import { bin } from "./cli.js";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const here = fileURLToPath(new URL("..", import.meta.url));

describe("root README", () => {
  it("its ten-line example runs as written against the built packages and learns", () => {
    const readme = readFileSync(`${root}/README.md`, "utf8");
    const section = readme.slice(readme.indexOf("## A first model"));
    const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    expect(code).toBeDefined();
    const file = `${here}/.readme-example.tmp.mjs`; // inside apps/cli so @heed/* resolve to the built packages
    writeFileSync(file, code!);
    try {
      const out = execFileSync(process.execPath, [file], { cwd: here, encoding: "utf8" });
      const losses = out.trim().split("\n").map((l) => Number(l.split(" ")[1]));
      expect(losses).toHaveLength(4);
      expect(losses.every(Number.isFinite)).toBe(true);
      expect(losses.at(-1)!).toBeLessThan(losses[0]! * 0.8);
    } finally {
      rmSync(file, { force: true });
    }
  });

  it("has exactly the two set-up commands", () => {
    const readme = readFileSync(`${root}/README.md`, "utf8");
    const setup = readme.slice(readme.indexOf("## Set up"), readme.indexOf("## A first model"));
    const blocks = [...setup.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!.trim());
    expect(blocks).toEqual(["npm i -g -E pnpm@12.4.2 && pnpm install --frozen-lockfile && pnpm start", "pnpm test"]);
  });
});

describe("the heed synopsis", () => {
  const help = (args: string[]) => execFileSync(process.execPath, [bin, ...args, "--help"], { encoding: "utf8" });
  const flags = (text: string) => new Set([...text.matchAll(/--[a-z][a-z-]*/g)].map((m) => m[0]));
  const shown = new Set(["train", "eval", "predict", "attention", "info"].flatMap((c) => [...flags(help([c]))]).concat([...flags(help([]))]));

  it("in the root README lists every flag that --help shows", () => {
    const readme = readFileSync(`${root}/README.md`, "utf8");
    const synopsis = /## The `heed` command\n\n```\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
    expect([...shown].filter((f) => !flags(synopsis).has(f))).toEqual([]);
    expect([...flags(synopsis)].filter((f) => !shown.has(f))).toEqual([]);
  });

  it("in the CLI README lists every flag too", () => {
    const readme = readFileSync(`${here}/README.md`, "utf8");
    expect([...shown].filter((f) => !flags(readme).has(f))).toEqual([]);
  });
});
