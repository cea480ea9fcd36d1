// The root README's ten-line example as a browser app, bundled the way a new user would: with
// esbuild's CLI (`--bundle`, ES module or its default IIFE output) and with `vite build`, both with
// no configuration file, no plugin and no copied .wasm file. Used by bundlers.test.mjs.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const PLAYGROUND = fileURLToPath(new URL("..", import.meta.url));
const BIN = join(PLAYGROUND, "node_modules/.bin");

/** The ten lines from the root README (after "## A first model"). */
export function readmeExample() {
  const readme = readFileSync(join(PLAYGROUND, "../../README.md"), "utf8");
  const example = /```ts\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf("## A first model")))?.[1];
  if (!example) throw new Error("bundle-example: no ```ts block after '## A first model' in README.md");
  return example;
}

/**
 * The app: the example's imports, then in an async function (no top-level await, so esbuild's
 * default IIFE output works too) the README's browser start — `await setBackendAsync("wasm")`,
 * `await setNumThreads(2)` — the example's lines, and one line with `wasmInfo()`.
 */
export function appSource() {
  const lines = readmeExample().split("\n");
  const imports = lines.filter((l) => l.startsWith("import "));
  const body = lines.filter((l) => !l.startsWith("import "));
  return [
    'import { setBackendAsync, setNumThreads, wasmInfo } from "@heed/tensor-core";',
    ...imports,
    "async function main() {",
    '  await setBackendAsync("wasm");',
    "  await setNumThreads(2);",
    ...body,
    '  console.log("wasmInfo " + JSON.stringify(wasmInfo()));',
    "  await setNumThreads(1);", // ends the workers (Node exits)
    '  if (typeof document === "object") document.title = "done";',
    "}",
    "main().catch((e) => { console.error(String(e && e.stack || e)); });",
    "",
  ].join("\n");
}

/** A fresh directory inside apps/playground (so `@heed/*` resolve) holding main.js and an index.html loading `script`. */
export function appDir(script) {
  const dir = mkdtempSync(join(PLAYGROUND, ".bundle-test-"));
  writeFileSync(join(dir, "main.js"), appSource());
  writeFileSync(join(dir, "index.html"), `<!doctype html>\n<html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>ten lines</title></head>\n<body>${script}</body></html>\n`);
  return dir;
}

/** `esbuild main.ts --bundle --format=esm --minify` of the README's ten lines as they are: the bundle's path. */
export function minifyExampleWithEsbuild() {
  const dir = mkdtempSync(join(PLAYGROUND, ".bundle-test-"));
  writeFileSync(join(dir, "main.ts"), readmeExample());
  run("esbuild", ["main.ts", "--bundle", "--format=esm", "--minify", "--outfile=out/app.js", "--log-level=warning"], dir);
  return { dir, file: join(dir, "out/app.js") };
}

/** Run a bin of apps/playground in `cwd`; throws with its output when it fails, else returns its stderr (warnings). */
function run(cmd, args, cwd) {
  const r = spawnSync(join(BIN, cmd), args, { cwd, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status ?? r.signal}):\n${r.stdout}${r.stderr}`);
  return r.stderr;
}

/** `esbuild main.js --bundle [--format=esm] --outfile=out/app.js`: the served directory (out/) and esbuild's warnings. */
export function bundleWithEsbuild(format) {
  const dir = appDir(format === "esm" ? '<script type="module" src="./app.js"></script>' : '<script src="./app.js"></script>');
  const args = ["main.js", "--bundle", ...(format === "esm" ? ["--format=esm"] : []), "--outfile=out/app.js", "--log-level=warning"];
  const warnings = run("esbuild", args, dir);
  writeFileSync(join(dir, "out/index.html"), readFileSync(join(dir, "index.html")));
  return { dir, out: join(dir, "out"), command: `esbuild ${args.join(" ")}`, warnings };
}

/** `vite build` (no config file): the served directory (dist/) and Vite's warnings. */
export function bundleWithVite() {
  const dir = appDir('<script type="module" src="./main.js"></script>');
  const warnings = run("vite", ["build", "--logLevel", "warn"], dir);
  return { dir, out: join(dir, "dist"), command: "vite build", warnings };
}

/** Files under `dir` (relative paths) with their size and gzip -9 size. */
export function sizes(dir, prefix = "") {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sizes(path, `${prefix}${name}/`));
    else {
      const bytes = readFileSync(path);
      out.push({ file: `${prefix}${name}`, bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length });
    }
  }
  return out;
}
