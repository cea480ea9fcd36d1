import { defineConfig } from "tsup";

// Two entries, one per export: "." (browser-safe) and "./node" (Node-only CSV file reader).
export default defineConfig({
  entry: { index: "src/index.ts", node: "src/node/index.ts" },
  format: ["esm"],
  target: "es2022",
  platform: "neutral",
  sourcemap: true,
  clean: true,
  dts: { compilerOptions: { ignoreDeprecations: "6.0" } }, // tsup 8.5.1 injects baseUrl -> TS5101 on TS 6
});
