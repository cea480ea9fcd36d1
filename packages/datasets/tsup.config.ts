import { defineConfig } from "tsup";

// One build entry per `exports` entry, so a browser app that imports one data set
// (`@heed/datasets/digits`) bundles only that one. The data packages are `dependencies`, so
// tsup keeps them external: dist never inlines the dictionary, the emoji JSON or the digits.
export default defineConfig({
  entry: {
    index: "src/index.ts",
    cmudict: "src/cmudict.ts",
    emoji: "src/emoji.ts",
    timeseries: "src/timeseries.ts",
    "digits/index": "src/digits/index.ts",
    "node/index": "src/node/index.ts",
  },
  format: ["esm"],
  target: "es2022",
  platform: "neutral",
  sourcemap: true,
  clean: true,
  dts: { compilerOptions: { ignoreDeprecations: "6.0" } }, // tsup 8.5.1 injects baseUrl -> TS5101 on TS 6
});
