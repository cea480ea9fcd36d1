// What a browser user downloads for the root README's ten-line example: bundled and
// tree-shaken by esbuild (platform browser, minified), gzip -9 of the JavaScript, plus the one
// kernel file it loads (kernels-relaxed.wasm, or kernels-simd.wasm where relaxed SIMD is off).
// Run after `pnpm build` (it bundles the packages' dist/ builds):  node scripts/bundle-size.mjs
import { createRequire } from "node:module";
import { readFileSync, realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const esbuild = createRequire(realpathSync(`${root}node_modules/tsup/package.json`))("esbuild");
const readme = readFileSync(`${root}README.md`, "utf8");
const example = /```ts\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf("## A first model")))?.[1];
if (!example) throw new Error("bundle-size: no ```ts block after '## A first model' in README.md");
const { outputFiles } = await esbuild.build({
  stdin: { contents: example, resolveDir: `${root}apps/playground`, loader: "ts" },
  bundle: true, write: false, platform: "browser", format: "esm", minify: true, logLevel: "silent", outdir: "out",
});
const js = outputFiles[0].contents;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const gz = (b) => gzipSync(b, { level: 9 }).length;
const wasms = [...new TextDecoder().decode(js).matchAll(/"\.\/(kernels-[a-z-]+\.wasm)"/g)].map((m) => m[1]);
console.log(`ten-line example: JavaScript ${kb(js.length)} minified, ${kb(gz(js))} gzip; kernel files it may load: ${wasms.join(", ")}`);
for (const file of ["kernels-relaxed.wasm", "kernels-simd.wasm"]) {
  const bytes = readFileSync(new URL(`../dist/${file}`, import.meta.url));
  console.log(`  + ${file}: ${kb(bytes.length)}, ${kb(gz(bytes))} gzip → total ${kb(gz(js) + gz(bytes))} gzip`);
}
