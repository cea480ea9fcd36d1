import { defineConfig } from "tsup";

export default defineConfig({
  // one build entry per `exports` entry: "." (browser-safe) and "./node" (Node-only file helpers)
  entry: { index: "src/index.ts", "node/index": "src/node/index.ts" },
  format: ["esm"],
  target: "es2022",
  platform: "neutral",
  external: [/^node:/],
  sourcemap: true,
  clean: true,
  dts: { compilerOptions: { ignoreDeprecations: "6.0" } }, // tsup 8.5.1 injects baseUrl -> TS5101 on TS 6
});
