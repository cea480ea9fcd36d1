import { heedBuild } from "@heed/tsup-config";

// One build entry per `exports` entry, so a browser app that imports one data set
// (`@heed/datasets/digits`) bundles only that one. The data packages are `dependencies`, so
// tsup keeps them external: dist never inlines the dictionary, the emoji JSON or the digits.
export default heedBuild({
  index: "src/index.ts",
  cmudict: "src/cmudict.ts",
  emoji: "src/emoji.ts",
  timeseries: "src/timeseries.ts",
  "digits/index": "src/digits/index.ts",
  "node/index": "src/node/index.ts",
});
