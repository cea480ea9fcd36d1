// Browser tests: the built playground in Debian's Chromium (playwright-core), served with COOP/COEP.
// Run with `pnpm test:browser` from the repository root (it builds the playground and the CLI first).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import "@heed/autograd";
import { Generator, matmul, randn, setNumThreads } from "@heed/tensor-core";
import { scaledDotProductAttention } from "@heed/attention";
import { pageErrors, serve, withUnisolatedPage } from "./serve.mjs";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SHOTS = fileURLToPath(new URL("../screenshots/", import.meta.url));
const CLI = fileURLToPath(new URL("../../cli/dist/cli.js", import.meta.url));
let server, browser, page, work;
let consoleErrors = [];
const requests = [];

before(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`test:browser: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
  const s = await serve();
  server = s.server;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  consoleErrors = pageErrors(page);
  page.on("request", (r) => requests.push(new URL(r.url()).pathname));
  await page.goto(s.url);
  await page.waitForSelector("body[data-ready='1']", { timeout: 60_000 });
  work = mkdtempSync(join(tmpdir(), "heed-browser-"));
});

after(async () => {
  await browser?.close();
  server?.close();
  await setNumThreads(1); // ends Node's worker pool
  if (work) rmSync(work, { recursive: true, force: true });
});

function close(actual, expected, what) {
  assert.equal(actual.length, expected.length, `${what}: length`);
  let identical = 0;
  for (let i = 0; i < expected.length; i++) {
    const tol = 1e-5 + 1e-4 * Math.abs(expected[i]);
    if (!(Math.abs(actual[i] - expected[i]) <= tol)) assert.fail(`${what}[${i}]: page ${actual[i]} vs node ${expected[i]}`);
    if (Math.fround(actual[i]) === Math.fround(expected[i])) identical++;
  }
  return `${what}: ${identical} of ${expected.length} values bit-identical, all within rtol 1e-4 / atol 1e-5`;
}

test("the page loads cross-origin isolated on 2 threads (Web Workers), draws heatmaps, with no console errors", async () => {
  const info = await page.evaluate(() => globalThis.heedHarness.info());
  assert.equal(info.crossOriginIsolated, true);
  assert.equal(info.wasm.threads, 2, info.wasm.note);
  assert.equal(info.wasm.sharedMemory, true);
  assert.equal(info.wasm.note, "2 threads (Web Workers on shared memory)");
  assert.match(info.wasm.variant, /^kernels-(relaxed|simd)-mt\.wasm$/);
  assert.equal(info.wasm.source, "url", "the kernel file Vite emitted, fetched");
  assert.match(await page.textContent("body"), /kernels-(relaxed|simd)-mt\.wasm \(fetched\), threads 2/);
  assert.ok((await page.locator("canvas[data-heatmap]").count()) >= 8);
  await page.evaluate(() => [...document.querySelectorAll("h2")].find((h) => h.textContent === "Attention, step by step").scrollIntoView());
  await page.screenshot({ path: `${SHOTS}step-by-step.png` });
  assert.deepEqual(consoleErrors, []);
});

test("a matmul and an attention forward on 2 threads in the page equal Node's on 2 threads", async () => {
  assert.equal(await setNumThreads(2), 2);
  assert.equal(await page.evaluate(() => globalThis.heedHarness.info().wasm.threads), 2);
  const n = 256; // 33 MFLOP: split over both threads
  const pageMm = await page.evaluate((size) => globalThis.heedHarness.matmul(size, 11), n);
  const rng = new Generator(11);
  const a = randn([n, n], rng);
  console.log(close(pageMm, Array.from(matmul(a, randn([n, n], rng)).data), "matmul 256²"));
  for (const [shape, causal] of [[[2, 4, 16, 8], true], [[4, 8, 256, 64], false]]) {
    const pageAttn = await page.evaluate(([s, c]) => globalThis.heedHarness.attention(s, 12, c), [shape, causal]);
    const r = new Generator(12);
    const [q, k, v] = [randn(shape, r), randn(shape, r), randn(shape, r)];
    console.log(close(pageAttn, Array.from(scaledDotProductAttention(q, k, v, { isCausal: causal }).data), `attention ${JSON.stringify(shape)}${causal ? " causal" : ""}`));
  }
});

test("the page times matmul 1024² and attention (4, 8, 256, 64) on 1 and 2 threads", async () => {
  await page.click("#time-threads");
  await page.waitForSelector("#timing-table", { timeout: 180_000 });
  const rows = await page.evaluate(() => globalThis.heedHarness.timing.timings);
  assert.equal(rows.length, 2);
  for (const r of rows) {
    for (const t of [1, 2]) assert.ok(Number.isFinite(r.ms[t]) && r.ms[t] > 0, `${r.name} on ${t} threads: ${r.ms[t]}`);
    console.log(`${r.name}: 1 thread ${r.ms[1].toFixed(1)} ms, 2 threads ${r.ms[2].toFixed(1)} ms (${(r.ms[1] / r.ms[2]).toFixed(2)}×)`);
  }
  assert.equal(await page.evaluate(() => globalThis.heedHarness.info().wasm.threads), 2, "back to 2 threads after timing");
  await page.locator("#timing").scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}threads.png` });
});

test("training in a Worker (with its own 2 kernel threads) makes the loss fall, and a typed word shows an output and a heatmap", async () => {
  await page.waitForSelector("#train-toggle:not([disabled])", { timeout: 60_000 });
  assert.equal(await page.evaluate(() => globalThis.heedHarness.train.trainer.threads), 2, "the training worker's kernel threads");
  await page.click("#train-toggle");
  await page.waitForFunction(() => globalThis.heedHarness.train.trainer.steps >= 400, undefined, { timeout: 180_000, polling: 500 });
  await page.click("#train-toggle");
  const losses = await page.evaluate(() => globalThis.heedHarness.train.losses);
  const mean = (xs) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const first = mean(losses.slice(0, 20));
  const last = mean(losses.slice(-20));
  assert.ok(last < first * 0.5, `loss fell from ${first} to ${last}`);
  await page.fill("#word", "abcd");
  await page.click("#predict");
  await page.waitForSelector("#cross-maps canvas[data-heatmap]");
  const text = await page.textContent("#prediction");
  assert.match(text, /^abcd → [a-h]+$/);
  await page.locator("#cross-maps").scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}train.png` });
  assert.deepEqual(consoleErrors, []);
});

test("a checkpoint trained by `heed train g2p` loads from its files and pronounces like `heed predict`", async () => {
  const out = join(work, "g2p");
  const heed = (...args) => execFileSync(process.execPath, [CLI, ...args], { encoding: "utf8", env: { ...process.env, CI: "1" }, stdio: ["ignore", "pipe", "pipe"] });
  heed("train", "g2p", "--max-steps", "150", "--layers", "1", "--d-model", "32", "--heads", "2", "--ff", "64", "--batch-size", "32", "--eval-size", "16", "--warmup", "10", "--lr", "5e-3", "--out", out);
  const dir = join(out, "best");
  await page.setInputFiles("#ckpt-files", ["config.json", "vocab.json", "model.safetensors"].map((f) => join(dir, f)));
  await page.waitForSelector("#ckpt-status:has-text('loaded: g2p')", { timeout: 30_000 });
  const words = ["heed", "attention"];
  for (const w of words) {
    await page.fill("#ckpt-word", w);
    await page.click("#ckpt-predict");
    await page.waitForSelector(`#ckpt-prediction:has-text('${w} →')`);
    const shown = (await page.textContent("#ckpt-prediction")).split(" → ")[1];
    const cli = heed("predict", out, w).trim().split("\t").at(-1); // one argument: the pronunciation alone
    assert.ok(shown.length > 0, `the page pronounced '${w}' as nothing`);
    assert.equal(shown, cli, `page vs heed predict for '${w}'`);
    assert.equal(await page.locator("#ckpt-maps canvas[data-heatmap]").count(), 2, "one map per decoder layer and head (1 layer × 2 heads)");
  }
  await page.locator("#ckpt-maps").scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}checkpoint.png` });
  assert.deepEqual(consoleErrors, []);
  assert.deepEqual(requests.filter((p) => p.includes("embedded-simd")), [], "the embedded kernel copies' chunks are never fetched (page and workers)");
  assert.ok(requests.some((p) => /\/kernels-(relaxed|simd)-mt-[\w-]+\.wasm$/.test(p)), "the kernel file is fetched");
});

test("without COOP/COEP the page falls back to one thread, says why, and still computes", async () => {
  await withUnisolatedPage(browser, async (p, errors) => {
    const info = await p.evaluate(() => globalThis.heedHarness.info());
    assert.equal(info.crossOriginIsolated, false);
    assert.equal(info.wasm.threads, 1);
    assert.equal(info.wasm.sharedMemory, false);
    assert.match(info.wasm.variant, /^kernels-(relaxed|simd)\.wasm$/);
    assert.match(info.wasm.note, /^one thread: the page is not cross-origin isolated \(serve it with the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp\)/);
    assert.equal(await p.evaluate(() => globalThis.heedHarness.setNumThreads(2)), 1);
    const pageMm = await p.evaluate(() => globalThis.heedHarness.matmul(64, 11));
    const rng = new Generator(11);
    const a = randn([64, 64], rng);
    close(pageMm, Array.from(matmul(a, randn([64, 64], rng)).data), "matmul 64² (one thread)");
    assert.deepEqual(errors, []);
  });
});
