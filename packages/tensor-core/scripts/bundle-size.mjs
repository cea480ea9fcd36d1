// What a browser user downloads for the root README's ten-line example, bundled and tree-shaken
// with no configuration (and minified), gzip -9:
//   esbuild (--bundle --format=esm --minify, platform browser): one JavaScript file; the kernel
//     file's URL stays as written, so the page uses the plain-SIMD copy embedded in the bundle;
//   vite build: the JavaScript the page loads, plus the one kernel file it fetches
//     (kernels-relaxed.wasm; kernels-simd.wasm where relaxed SIMD is off); the embedded copies
//     are chunks of their own that the page does not fetch.
// Run after `pnpm build` (it bundles the packages' dist/ builds). An optional argument measures
// another checkout of this repository (built), e.g. the main branch before a change:
//   node scripts/bundle-size.mjs [path/to/repo]
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const here = fileURLToPath(new URL("../../../", import.meta.url));
const root = resolve(process.argv[2] ?? here);
const bin = (name) => join(here, "apps/playground/node_modules/.bin", name);
const readme = readFileSync(join(root, "README.md"), "utf8");
const example = /```ts\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf("## A first model")))?.[1];
if (!example) throw new Error(`bundle-size: no \`\`\`ts block after '## A first model' in ${root}/README.md`);

// A scratch project whose node_modules/@heed/* link to the checkout's packages (their dist/ builds).
const work = mkdtempSync(join(tmpdir(), "heed-bundle-size-"));
mkdirSync(join(work, "node_modules/@heed"), { recursive: true });
for (const pkg of ["tensor-core", "autograd", "nn", "attention"]) symlinkSync(join(root, "packages", pkg), join(work, "node_modules/@heed", pkg));
writeFileSync(join(work, "package.json"), JSON.stringify({ name: "heed-bundle-size", private: true, type: "module" }));
writeFileSync(join(work, "main.ts"), example);
writeFileSync(join(work, "index.html"), '<!doctype html><script type="module" src="./main.ts"></script>\n');

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: work, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`bundle-size: ${cmd} ${args.join(" ")} failed:\n${r.stdout}${r.stderr}`);
}
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length;

try {
  run(bin("esbuild"), ["main.ts", "--bundle", "--format=esm", "--minify", "--outfile=esbuild/app.js", "--log-level=error"]);
  const esJs = gz(join(work, "esbuild/app.js"));
  const embedded = /"H4sI[A-Za-z0-9+/]{1000,}/.test(readFileSync(join(work, "esbuild/app.js"), "utf8")); // base64 of gzip data
  console.log(`esbuild: ${kb(esJs)} gzip of JavaScript${embedded ? " (kernels embedded: nothing else to serve)" : " + the kernel file, which must be copied next to the bundle by hand"}`);

  run(bin("vite"), ["build", "--logLevel", "error", "--outDir", "vite"]);
  const assets = join(work, "vite/assets");
  const files = readdirSync(assets);
  const loaded = files.filter((f) => f.endsWith(".js") && !f.startsWith("embedded-"));
  const viteJs = loaded.reduce((s, f) => s + gz(join(assets, f)), 0);
  const notFetched = files.filter((f) => f.startsWith("embedded-")).map((f) => kb(gz(join(assets, f))));
  const wasm = (name) => files.find((f) => new RegExp(`^${name}-[\\w-]{8}\\.wasm$`).test(f));
  console.log(`vite build: ${kb(viteJs)} gzip of JavaScript loaded (${loaded.join(", ")})${notFetched.length ? `; embedded copies in chunks not fetched: ${notFetched.join(" + ")} gzip` : ""}`);
  for (const name of ["kernels-relaxed", "kernels-simd"]) {
    const w = gz(join(assets, wasm(name)));
    console.log(`  + ${name}.wasm ${kb(w)} gzip → ${kb(viteJs + w)} gzip in all`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
