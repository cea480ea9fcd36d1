import { heedBuild } from "@heed/tsup-config";

// One build entry per `exports` entry: "." (browser-safe) and "./node" (Node-only file helpers).
export default heedBuild({ index: "src/index.ts", "node/index": "src/node/index.ts" });
