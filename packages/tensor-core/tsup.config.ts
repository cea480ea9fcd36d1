import { heedBuild } from "@heed/tsup-config";

// One build entry per `exports` entry: "." and "./node" (Node-only thread settings). The kernel
// variants (wasm/*.wasm, from `pnpm build:wasm`) are copied into dist/, next to the chunk that
// locates them with `new URL("./kernels-….wasm", import.meta.url)`.
export default heedBuild({ index: "src/index.ts", "node/index": "src/node/index.ts" }, { publicDir: "wasm" });
