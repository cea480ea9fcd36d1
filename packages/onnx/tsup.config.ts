import { heedBuild } from "@heed/tsup-config";

// One build entry per `exports` entry: ESM for bundlers, CommonJS + an ESM wrapper for Node.
export default heedBuild({ index: "src/index.ts" });
