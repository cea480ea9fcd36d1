// Zero-configuration bundling: the root README's ten-line example (with the README's browser start,
// `await setBackendAsync("wasm")` and `await setNumThreads(2)`) bundled by esbuild's CLI and by
// `vite build` with no configuration and no copied .wasm file, run in Debian's Chromium on a
// cross-origin-isolated page and in Node: every run prints the losses Node prints unbundled.
// Vite emits the kernel files as assets and the page fetches them, never the embedded copy's
// chunk; esbuild leaves the files' URLs as they are, so its bundle uses the embedded copy.
// Run by `pnpm test:browser` (which builds the packages first).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import { appDir, bundleWithEsbuild, bundleWithVite, minifyExampleWithEsbuild, sizes } from "./bundle-example.mjs";
import { serve } from "./serve.mjs";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const dirs = [];
let browser;
let reference;

/** The example's output: the loss lines ("0 1.2345") and the wasmInfo() line. */
function parse(text) {
  const lines = text.trim().split("\n");
  const losses = lines.filter((l) => /^\d+ -?\d+\.\d{4}$/.test(l));
  const info = lines.find((l) => l.startsWith("wasmInfo "));
  assert.equal(losses.length, 4, `four loss lines in:\n${text}`);
  assert.ok(info, `a wasmInfo line in:\n${text}`);
  return { losses, info: JSON.parse(info.slice("wasmInfo ".length)) };
}

/** Same steps, and every loss within the printed precision (1e-4) of Node's unbundled run. */
function sameLosses(losses, what) {
  for (let i = 0; i < 4; i++) {
    const [step, value] = losses[i].split(" ");
    const [refStep, refValue] = reference.losses[i].split(" ");
    assert.equal(step, refStep);
    assert.ok(Math.abs(Number(value) - Number(refValue)) <= 1.0001e-4, `${what}: step ${step} loss ${value} vs Node unbundled ${refValue}`);
  }
}

/** Run `node file` and parse its output. */
function inNode(file) {
  const r = spawnSync(process.execPath, [file], { encoding: "utf8" });
  assert.equal(r.status, 0, `node ${file}: ${r.stderr}`);
  assert.equal(r.stderr, "", `node ${file}: nothing on stderr`);
  return parse(r.stdout);
}

/** Load `dir`'s index.html, served cross-origin isolated, until the example is done: its output, console messages and requests. */
async function inChromium(dir) {
  const { server, url } = await serve(0, { root: dir });
  const page = await browser.newPage();
  const logs = [];
  const problems = [];
  const requests = [];
  page.on("console", (m) => (m.type() === "log" ? logs.push(m.text()) : problems.push(`${m.type()}: ${m.text()} (${m.location().url})`)));
  page.on("pageerror", (e) => problems.push(`pageerror: ${String(e)}`));
  page.on("request", (r) => requests.push(new URL(r.url()).pathname));
  try {
    await page.goto(url);
    await page.waitForFunction(() => document.title === "done" || false, undefined, { timeout: 120_000 });
    assert.equal(await page.evaluate(() => globalThis.crossOriginIsolated), true);
    return { ...parse(logs.join("\n")), problems, requests };
  } catch (e) {
    throw new Error(`${String(e)}\nconsole: ${[...logs, ...problems].join("\n")}`, { cause: e });
  } finally {
    await page.close();
    server.close();
  }
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

/** The size budget of a page running the example: its JavaScript, minified, at most 70 KB gzip (plus the one kernel file it loads). */
const BUDGET_GZIP = 70 * 1024;

before(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`test:browser: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  const dir = appDir("");
  dirs.push(dir);
  reference = inNode(join(dir, "main.js")); // the packages' own build, no bundler: kernel files read from disk
  assert.equal(reference.info.source, "file");
  console.log(`Node, unbundled: losses ${reference.losses.join(", ")}; ${reference.info.variant} from ${reference.info.source}`);
});

after(async () => {
  await browser?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

for (const format of ["esm", "iife"]) {
  test(`esbuild (${format === "esm" ? "--format=esm" : "its default IIFE output"}), no options, no .wasm copied: the embedded copy, 2 threads in Chromium and in Node, the same losses`, async () => {
    const b = bundleWithEsbuild(format);
    dirs.push(b.dir);
    assert.deepEqual(readdirSync(b.out).sort(), ["app.js", "index.html"], "esbuild writes the bundle only");
    if (format === "esm") assert.equal(b.warnings, "", `${b.command}: no warnings`);
    else assert.match(b.warnings, /"import\.meta" is not available with the "iife" output format/); // the only warning: see the README
    const page = await inChromium(b.out);
    assert.equal(page.info.source, "embedded", JSON.stringify(page.info));
    assert.equal(page.info.variant, "kernels-simd-mt.wasm");
    assert.equal(page.info.threads, 2, page.info.note);
    sameLosses(page.losses, `esbuild ${format} in Chromium`);
    const wasmRequests = page.requests.filter((p) => p.endsWith(".wasm"));
    if (format === "esm") {
      // one try for the file next to the bundle (404), then the embedded copy for both variants
      assert.deepEqual(wasmRequests, ["/kernels-relaxed.wasm"]);
      assert.match(page.info.sourceDetail, /^kernels-relaxed\.wasm could not be loaded from http:\/\/127\.0\.0\.1:\d+\/kernels-relaxed\.wasm \(HTTP 404\)$/);
      assert.equal(page.problems.length, 1, page.problems.join("\n"));
      assert.match(page.problems[0], /^error: Failed to load resource: the server responded with a status of 404 .*kernels-relaxed\.wasm\)$/);
    } else {
      assert.deepEqual(wasmRequests, []);
      assert.deepEqual(page.problems, []);
    }
    const node = inNode(join(b.out, "app.js"));
    assert.equal(node.info.source, "embedded");
    assert.deepEqual(node.losses, page.losses, "the same bundle in Node and in Chromium");
    const [js] = sizes(b.out).filter((f) => f.file === "app.js");
    console.log(`${b.command}: app.js ${kb(js.bytes)} (${kb(js.gzip)} gzip, not minified), no .wasm file; losses ${page.losses.join(", ")}`);
  });
}

test("vite build, no config: the kernel files as assets, fetched; the embedded copy's chunk never fetched; no console messages; the same losses", async () => {
  const b = bundleWithVite();
  dirs.push(b.dir);
  assert.equal(b.warnings, "", "vite build: no warnings");
  const files = sizes(b.out);
  const embedded = files.filter((f) => /embedded-simd/.test(f.file));
  assert.equal(embedded.length, 2, "the embedded copies are chunks of their own");
  const page = await inChromium(b.out);
  assert.deepEqual(page.problems, [], "no console errors or warnings");
  assert.equal(page.info.source, "url");
  assert.match(page.info.sourceDetail, /\/assets\/kernels-relaxed-mt-[\w-]+\.wasm$/);
  assert.equal(page.info.variant, "kernels-relaxed-mt.wasm");
  assert.equal(page.info.threads, 2, page.info.note);
  const fetched = page.requests.filter((p) => p.startsWith("/assets/"));
  assert.deepEqual(fetched.filter((p) => p.includes("embedded")), [], "the embedded copy's chunk is not fetched");
  assert.deepEqual(fetched.filter((p) => p.endsWith(".wasm")).map((p) => p.replace(/-[\w-]{8}\.wasm$/, ".wasm")), ["/assets/kernels-relaxed.wasm", "/assets/kernels-relaxed-mt.wasm"]);
  sameLosses(page.losses, "vite in Chromium");
  assert.deepEqual(page.losses, reference.losses, "the same kernels (relaxed SIMD) as Node unbundled");
  const js = files.filter((f) => f.file.endsWith(".js") && fetched.includes(`/${f.file}`));
  const wasm = files.find((f) => /kernels-relaxed-[\w-]{8}\.wasm$/.test(f.file));
  const gz = js.reduce((s, f) => s + f.gzip, 0);
  assert.ok(gz <= BUDGET_GZIP, `vite build: the JavaScript fetched is ${kb(gz)} gzip, over the ${kb(BUDGET_GZIP)} budget`);
  console.log(`vite build: JavaScript fetched ${js.map((f) => f.file).join(", ")} ${kb(gz)} gzip (minified) + ${wasm.file} ${kb(wasm.gzip)} gzip; embedded chunks (not fetched) ${embedded.map((f) => kb(f.gzip)).join(" + ")} gzip; losses ${page.losses.join(", ")}`);
});

test("esbuild --minify of the README's ten lines: its JavaScript, the embedded kernel copies aside, stays within the 70 KB gzip budget", () => {
  const { dir, file } = minifyExampleWithEsbuild();
  dirs.push(dir);
  const text = readFileSync(file, "utf8");
  // esbuild inlines the embedded kernel copies (base64 of gzip data): they stand for the one kernel file a page loads
  const kernels = text.match(/"H4sI[A-Za-z0-9+/=]{1000,}"/g) ?? [];
  assert.equal(kernels.length, 2, "the two embedded kernel copies (one-thread and shared-memory)");
  const all = gzipSync(text, { level: 9 }).length;
  const js = gzipSync(kernels.reduce((t, k) => t.replace(k, '""'), text), { level: 9 }).length;
  assert.ok(js <= BUDGET_GZIP, `esbuild --minify: the JavaScript is ${kb(js)} gzip without the embedded kernels, over the ${kb(BUDGET_GZIP)} budget`);
  console.log(`esbuild --bundle --format=esm --minify of the README's ten lines: ${kb(all)} gzip in all, ${kb(js)} without the two embedded kernel copies (budget ${kb(BUDGET_GZIP)})`);
});
