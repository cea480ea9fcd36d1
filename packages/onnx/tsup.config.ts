import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm"],
  target: "es2022",
  platform: "neutral",
  sourcemap: true,
  clean: true,
  dts: { compilerOptions: { ignoreDeprecations: "6.0" } }, // tsup 8.5.1 injects baseUrl -> TS5101 on TS 6
});
