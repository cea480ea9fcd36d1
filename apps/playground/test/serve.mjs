// A tiny static server for the built playground (dist/) on 127.0.0.1 with the COOP/COEP headers
// that make the page cross-origin isolated. Used by the browser tests; `node test/serve.mjs` serves on :4173.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".wasm": "application/wasm", ".json": "application/json", ".png": "image/png", ".svg": "image/svg+xml" };
const ROOT = fileURLToPath(new URL("../dist/", import.meta.url));

/** Serve `root` (default: dist/) on 127.0.0.1; `isolated: false` leaves out COOP/COEP (a page that cannot share memory). */
export function serve(port = 0, { isolated = true, root = ROOT } = {}) {
  const headers = isolated ? { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" } : {};
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname)).replace(/^(\.\.[/\\])+/, "");
    const file = join(root, path.endsWith("/") ? `${path}index.html` : path);
    try {
      const body = await readFile(file);
      res.writeHead(200, { "Content-Type": TYPES[extname(file)] ?? "application/octet-stream", ...headers });
      res.end(body);
    } catch {
      res.writeHead(404).end("not found");
    }
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve({ server, url: `http://127.0.0.1:${server.address().port}/` })));
}

/** Collects a page's console errors and uncaught exceptions (the browser tests expect none). */
export function pageErrors(page) {
  const errors = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("pageerror", (e) => errors.push(String(e)));
  return errors;
}

/** Runs `fn(page, errors)` on a new page of `browser` showing the playground served without COOP/COEP, once it is ready; closes both after. */
export async function withUnisolatedPage(browser, fn) {
  const plain = await serve(0, { isolated: false });
  const page = await browser.newPage();
  const errors = pageErrors(page);
  try {
    await page.goto(plain.url);
    await page.waitForSelector("body[data-ready='1']", { timeout: 60_000 });
    await fn(page, errors);
  } finally {
    await page.close();
    plain.server.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { url } = await serve(Number(process.env.PORT ?? 4173));
  console.log(`playground at ${url}`);
}
