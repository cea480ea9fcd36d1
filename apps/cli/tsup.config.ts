import { heedBuild } from "@heed/tsup-config";

// dist/cli.js is the `heed` binary (ESM; Node loads the @heed/* packages through their
// CommonJS builds, one instance each); "." is the programmatic entry, as ESM and CommonJS.
// dist/replica-worker.js is the worker thread of data-parallel training (`heed train --threads N`).
// onnxruntime-node (optional, native binaries) is loaded at run time by `predict --engine ort`, never bundled.
export default heedBuild(
  { index: "src/index.ts", cli: "src/cli.ts", "replica-worker": "src/parallel/worker.ts" },
  { target: "node20", external: [/^node:/, "onnxruntime-node"], dts: { entry: "src/index.ts", compilerOptions: { ignoreDeprecations: "6.0" } } },
);
