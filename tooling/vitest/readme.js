import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

/** The ```ts blocks of a markdown file, with the heading they sit under. */
export function tsBlocks(markdown) {
  const blocks = [];
  let heading = "(top)";
  const re = /^(#{1,6} .*)$|^```ts\n([\s\S]*?)^```$/gm;
  for (let m = re.exec(markdown); m; m = re.exec(markdown)) {
    if (m[1]) heading = m[1].replace(/^#+ /, "");
    else blocks.push({ heading, code: m[2] });
  }
  return blocks;
}

/**
 * Run every ```ts block of a README as written, each as its own module (imports included),
 * written to `<package>/.readme-tmp/` (outside tsconfig and lint) so `@heed/*` resolve like the
 * tests' own imports, with a fresh temporary directory as the working directory (examples
 * that write files write there).
 * `check(index, module)` may assert on what a block exports; every block must have imports.
 */
export function runReadmeExamples(readmeUrl, packageUrl, { check } = {}) {
  const markdown = readFileSync(readmeUrl, "utf8");
  const blocks = tsBlocks(markdown);
  const cwd = mkdtempSync(join(tmpdir(), "heed-readme-"));
  const home = process.cwd();
  const dir = new URL("./.readme-tmp/", packageUrl);
  afterAll(() => {
    process.chdir(home);
    rmSync(dir, { recursive: true, force: true });
    rmSync(cwd, { recursive: true, force: true });
  });
  describe(`README examples (${blocks.length} ts blocks)`, () => {
    it("has at least one example", () => expect(blocks.length).toBeGreaterThan(0));
    blocks.forEach(({ heading, code }, i) => {
      it(`block ${i + 1} under "${heading}" runs as written`, async () => {
        expect(code, "a README example starts with its imports").toMatch(/^import /m);
        mkdirSync(dir, { recursive: true });
        const file = new URL(`./block-${i + 1}.ts`, dir);
        writeFileSync(file, code);
        process.chdir(cwd);
        try {
          const mod = await import(/* @vite-ignore */ pathToFileURL(file.pathname).href);
          await check?.(i, mod);
        } finally {
          process.chdir(home);
        }
      }, 180_000); // the first block also transforms the package's sources
    });
  });
}
