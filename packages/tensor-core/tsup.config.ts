import { heedBuild } from "@heed/tsup-config";

// One build entry per `exports` entry: "." and "./node" (Node-only thread settings).
export default heedBuild({ index: "src/index.ts", "node/index": "src/node/index.ts" });
