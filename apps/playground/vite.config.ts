import { defineConfig } from "vite";

/** Cross-origin isolation (SharedArrayBuffer, wasm threads) needs these two headers on every response. */
const isolation = { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" };

export default defineConfig({
  base: "./",
  server: { headers: isolation },
  preview: { headers: isolation },
  build: { target: "es2022", chunkSizeWarningLimit: 2000 },
  worker: { format: "es" }, // the training worker imports the packages (code-split, top-level await)
});
