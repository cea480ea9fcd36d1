// Browser tests: the built playground in Debian's Chromium (playwright-core), served with COOP/COEP.
// Run with `pnpm test:browser` from the repository root (it builds first).
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import "@heed/autograd";
import { Generator, matmul, randn } from "@heed/tensor-core";
import { scaledDotProductAttention } from "@heed/attention";
import { serve } from "./serve.mjs";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SHOTS = fileURLToPath(new URL("../screenshots/", import.meta.url));
let server, browser, page;
const consoleErrors = [];

before(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`test:browser: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
  const s = await serve();
  server = s.server;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
  page.on("pageerror", (e) => consoleErrors.push(String(e)));
  await page.goto(s.url);
  await page.waitForSelector("body[data-ready='1']", { timeout: 30_000 });
});

after(async () => {
  await browser?.close();
  server?.close();
});

function close(actual, expected, what) {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    const tol = 1e-5 + 1e-4 * Math.abs(expected[i]);
    if (!(Math.abs(actual[i] - expected[i]) <= tol)) assert.fail(`${what}[${i}]: page ${actual[i]} vs node ${expected[i]}`);
  }
}

test("the page loads cross-origin isolated, draws heatmaps, with no console errors", async () => {
  const info = await page.evaluate(() => globalThis.heedHarness.info());
  assert.equal(info.crossOriginIsolated, true);
  assert.ok((await page.locator("canvas[data-heatmap]").count()) >= 8);
  await page.screenshot({ path: `${SHOTS}step-by-step.png` });
  assert.deepEqual(consoleErrors, []);
});

test("a matmul and an attention forward in the page equal Node's", async () => {
  const pageMm = await page.evaluate(() => globalThis.heedHarness.matmul(64, 11));
  const rng = new Generator(11);
  const a = randn([64, 64], rng);
  close(pageMm, Array.from(matmul(a, randn([64, 64], rng)).data), "matmul");
  const shape = [2, 4, 16, 8];
  const pageAttn = await page.evaluate((s) => globalThis.heedHarness.attention(s, 12, true), shape);
  const r = new Generator(12);
  const [q, k, v] = [randn(shape, r), randn(shape, r), randn(shape, r)];
  close(pageAttn, Array.from(scaledDotProductAttention(q, k, v, { isCausal: true }).data), "attention");
});

test("training in the page makes the loss fall, and a typed word shows an output and a heatmap", async () => {
  await page.click("#train-toggle");
  await page.waitForFunction(() => globalThis.heedHarness.train.trainer.steps >= 400, undefined, { timeout: 120_000, polling: 500 });
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
