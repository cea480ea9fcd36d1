import { writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { defineConfig } from "tsup";

/**
 * The build of every published Heed package: one entry per `exports` entry, each as
 *   dist/<name>.js       ESM for browsers and bundlers (the `default` condition),
 *   dist/<name>.cjs      CommonJS for Node (`require`), with dist/<name>.d.cts types,
 *   dist/<name>.node.js  a two-line ESM wrapper for Node's `import` that re-exports the
 *                        CommonJS build,
 * so a Node program that mixes `import` and `require` loads each package ONCE (one autograd
 * engine, one backend registry, one global seed): Node never loads the ESM build. The CJS
 * build uses esbuild's node platform, which annotates `module.exports` so Node's ESM loader
 * sees every named export; `shims` gives it `import.meta.url`.
 *
 * @param {Record<string, string>} entry  output name (no extension) → source file
 * @param {import("tsup").Options} [extra]
 */
export function heedBuild(entry, extra = {}) {
  return defineConfig({
    entry,
    format: ["esm", "cjs"],
    target: "es2022",
    platform: "neutral",
    shims: true,
    splitting: true, // also for CJS: entries share chunks, so "." and "./node" share one state
    external: [/^node:/],
    sourcemap: true,
    clean: true,
    dts: { compilerOptions: { ignoreDeprecations: "6.0" } }, // tsup 8.5.1 injects baseUrl -> TS5101 on TS 6
    esbuildOptions(options, { format }) {
      if (format === "cjs") options.platform = "node";
    },
    async onSuccess() {
      await Promise.all(Object.keys(entry).map((name) => {
        const file = join("dist", `${name}.node.js`);
        const cjs = `./${basename(name)}.cjs`;
        const text = `// Node's \`import\` of this entry: the CommonJS build, so import and require share one instance.\nexport * from "${cjs}";\n`;
        return writeFile(file, text);
      }));
    },
    ...extra,
  });
}
