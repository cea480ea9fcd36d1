// The page used as a user would: bad input in every input field gets a clear message on the page
// (and no console error), the thread selector and the timing cannot fight over the thread count,
// training stops when asked, and a reload starts clean. Run by `pnpm test:browser` (which builds
// the playground first).
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { chromium } from "playwright-core";
import { pageErrors, serve, withUnisolatedPage } from "./serve.mjs";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
let server, browser, page, work;
let consoleErrors = [];

before(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`test:browser: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
  const s = await serve();
  server = s.server;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  page = await browser.newPage();
  consoleErrors = pageErrors(page);
  await page.goto(s.url);
  await page.waitForSelector("body[data-ready='1']", { timeout: 60_000 });
  work = mkdtempSync(join(tmpdir(), "heed-controls-"));
});

after(async () => {
  await browser?.close();
  server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

const Q0 = "1 0 1 0\n0 1 0 1\n1 1 0 0";
const K0 = "1 0 1 0\n0 1 0 1\n1 1 1 1\n0 0 1 1";
const V0 = "1 0\n0 1\n1 1\n0 0";

/** Set Q, K, V and the padded-keys field, then read the error line and count the drawn maps. */
async function stepByStep({ q = Q0, k = K0, v = V0, pad = "0" }) {
  await page.fill("#q", q);
  await page.fill("#k", k);
  await page.fill("#v", v);
  await page.fill("#pad", pad);
  return { error: await page.textContent("#sdpa-error"), maps: await page.locator("#sdpa-out canvas").count() };
}

test("attention step by step: every bad Q/K/V text and padded-keys value gets a message naming the field, and no heatmap", async () => {
  assert.deepEqual(await stepByStep({}), { error: "", maps: 4 }, "the defaults draw weights and outputs, dot vs scaled");
  const bad = [
    [{ q: "" }, "Q: the box is empty, expected one row of numbers per line (e.g. \"1 0 1 0\")"],
    [{ k: "  \n \n" }, "K: the box is empty, expected one row of numbers per line (e.g. \"1 0 1 0\")"],
    [{ v: "1 0\n0 x\n1 1\n0 0" }, "V: row 2 has 'x', which is not a finite number"],
    [{ q: "1e400 0 0 0" }, "Q: row 1 has '1e400', which is not a finite number"],
    [{ k: "1 0 1 0\n1 0\n1 1 1 1\n0 0 1 1" }, "K: row 2 has 2 numbers, expected 4 (as row 1)"],
    [{ q: "1 0 1" }, /^dotProductAttention: query width E=3 and key width E=4 differ \(query: \[1,3\], key: \[4,4\], value: \[4,2\]\)$/],
    [{ v: "1 0\n0 1" }, /^dotProductAttention: key length S=4 and value length S=2 differ/],
  ];
  for (const [pad, got] of [["-1", "'-1'"], ["1.5", "'1.5'"], ["4", "'4'"], ["99", "'99'"], ["", "an empty field"]]) {
    bad.push([{ pad }, `padded keys: expected a whole number from 0 to 3 (K has 4 rows and one key at least stays visible), got ${got}`]);
  }
  for (const [input, message] of bad) {
    const { error, maps } = await stepByStep(input);
    if (typeof message === "string") assert.equal(error, message, JSON.stringify(input));
    else assert.match(error, message, JSON.stringify(input));
    assert.equal(maps, 0, `no heatmap for ${JSON.stringify(input)}`);
  }
  assert.equal((await stepByStep({ k: "1 0 1 0", v: "1 0", pad: "1" })).error, "padded keys: expected a whole number from 0 to 0 (K has 1 row and one key at least stays visible), got '1'");
  await page.fill("#pad", "");
  await page.type("#pad", "e"); // what a number field holds for text: "" (badInput)
  assert.equal(await page.textContent("#sdpa-error"), "padded keys: expected a whole number from 0 to 0 (K has 1 row and one key at least stays visible), got text that is not a number");
  // Blank lines and commas are separators, not numbers; 3 padded keys of 4 is the most allowed.
  assert.deepEqual(await stepByStep({ q: "\n1, 0, 1, 0\n\n,0 1 0 1\n1 1 0 0\n", pad: "3" }), { error: "", maps: 4 });
  assert.deepEqual(consoleErrors, []);
});

test("train in the page: a word the model cannot take gets a message, not an output", async () => {
  await page.waitForSelector("#train-toggle:not([disabled])", { timeout: 60_000 });
  for (const [word, message] of [["", "reverse: word length 0, expected 1 to 6 letters"], ["abcdefg", "reverse: word length 7, expected 1 to 6 letters"], ["abx", "reverse: letter 'x' is not one of abcdefgh"]]) {
    await page.fill("#word", word);
    await page.click("#predict");
    await page.waitForSelector(`#prediction.err:text-is("${message}")`, { timeout: 10_000 });
  }
  assert.deepEqual(consoleErrors, []);
});

test("a checkpoint: missing files, another task's config and broken JSON each get a message; the word box stays off", async () => {
  const file = (name, text) => {
    const dir = mkdtempSync(join(work, "ckpt-"));
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const config = file("config.json", JSON.stringify({ task: "g2p", dModel: 32, heads: 2, layers: 1, ff: 64, dropout: 0 }));
  const cases = [
    [[config], "loadCheckpoint: missing vocab.json, model.safetensors (drop the files of a heed train checkpoint directory: config.json, vocab.json, model.safetensors; got config.json)"],
    [[file("config.json", JSON.stringify({ task: "classify" })), file("vocab.json", "{}"), file("model.safetensors", "")], "loadCheckpoint: the page runs g2p checkpoints (heed train g2p), this one is task 'classify'"],
    [[file("config.json", "{ task: g2p"), file("vocab.json", "{}"), file("model.safetensors", "")], /^loadCheckpoint: config\.json is not valid JSON \(/],
    [[config, file("vocab.json", "{}"), file("model.safetensors", "")], "loadCheckpoint: vocab.json should hold 'graphemes' and 'phonemes' tokenizers"],
  ];
  for (const [files, message] of cases) {
    await page.setInputFiles("#ckpt-files", files);
    await page.waitForFunction(() => document.querySelector("#ckpt-status").className === "err", undefined, { timeout: 10_000 });
    const status = await page.textContent("#ckpt-status");
    if (typeof message === "string") assert.equal(status, message);
    else assert.match(status, message);
    assert.equal(await page.isDisabled("#ckpt-word"), true);
    assert.equal(await page.isDisabled("#ckpt-predict"), true);
    await page.evaluate(() => (document.querySelector("#ckpt-status").className = "mono"));
  }
  assert.deepEqual(consoleErrors, []);
});

test("the thread selector is locked while the timing switches threads, and afterwards shows the count in use", async () => {
  const threads = () => page.evaluate(() => globalThis.heedHarness.info().wasm.threads);
  assert.equal(await page.inputValue("#threads"), String(await threads()));
  await page.click("#time-threads");
  assert.equal(await page.isDisabled("#threads"), true, "no thread change while the timing runs");
  await page.waitForSelector("#timing-table", { timeout: 180_000 });
  assert.equal(await page.isDisabled("#threads"), false);
  assert.equal(await page.inputValue("#threads"), String(await threads()), "the selector shows the count the kernels run on");
  await page.selectOption("#threads", "1");
  await page.waitForFunction(() => !document.querySelector("#threads").disabled);
  assert.equal(await threads(), 1);
  assert.match(await page.textContent("#env"), /threads 1 — one thread \(setNumThreads\(1\)\)/);
  await page.selectOption("#threads", "2");
  await page.waitForFunction(() => !document.querySelector("#threads").disabled);
  assert.equal(await threads(), 2);
  assert.deepEqual(consoleErrors, []);
});

test("training stops when asked (no step after the last progress message), resumes, and a reload starts clean", async () => {
  const steps = () => page.evaluate(() => globalThis.heedHarness.train.trainer.steps);
  const start = await steps();
  await page.click("#train-toggle");
  assert.equal(await page.textContent("#train-toggle"), "Stop");
  await page.waitForFunction((s) => globalThis.heedHarness.train.trainer.steps >= s + 20, start, { timeout: 120_000, polling: 200 });
  await page.click("#train-toggle");
  assert.equal(await page.textContent("#train-toggle"), "Resume");
  await page.waitForTimeout(500); // a slice already running finishes (≤ 50 ms) and reports
  const stopped = await steps();
  await page.waitForTimeout(1500);
  assert.equal(await steps(), stopped, "no training after Stop");
  await page.click("#train-toggle");
  await page.waitForFunction((s) => globalThis.heedHarness.train.trainer.steps > s, stopped, { timeout: 60_000, polling: 200 });
  await page.reload(); // mid-run: the page and its workers start over
  await page.waitForSelector("body[data-ready='1']", { timeout: 60_000 });
  assert.equal(await steps(), 0);
  assert.match(await page.textContent("#env"), /^crossOriginIsolated: true · wasm: kernels-(relaxed|simd)-mt\.wasm \(fetched\), threads 2 — 2 threads \(Web Workers on shared memory\)$/);
  await page.waitForSelector("#train-stats:text-is('ready (worker with 2 kernel threads)')", { timeout: 60_000 });
  assert.deepEqual(consoleErrors, []);
});

test("without COOP/COEP the timing says it needs a cross-origin-isolated page and the line at the top keeps saying why it is one thread", async () => {
  await withUnisolatedPage(browser, async (p, errors) => {
    const why = /^crossOriginIsolated: false · wasm: kernels-(relaxed|simd)\.wasm \(fetched\), threads 1 — one thread: the page is not cross-origin isolated \(serve it with the headers/;
    assert.match(await p.textContent("#env"), why);
    await p.click("#time-threads");
    await p.waitForSelector("#timing .err", { timeout: 60_000 });
    assert.equal(await p.textContent("#timing"), "timeThreads: timing 1 vs 2 threads needs a cross-origin-isolated page (served with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp); this one runs on one thread");
    assert.match(await p.textContent("#env"), why, "the reason stays on the page");
    assert.deepEqual(errors, []);
  });
});
