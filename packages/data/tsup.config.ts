import { heedBuild } from "@heed/tsup-config";

// One build entry per `exports` entry: "." (browser-safe) and "./node" (Node-only CSV file reader).
export default heedBuild({ index: "src/index.ts", node: "src/node/index.ts" });
